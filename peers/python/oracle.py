"""The independent oracle of tests/peers.rs: boto3's own paginator on the same server.

Reads one JSON request on stdin and prints one JSON answer on stdout.

  {"models": ["s3", "dynamodb", ...]}
      -> {"botocore": "1.44.8", "boto3": "1.44.8",
          "models": {"s3": <paginators-1.json as botocore loads it>, ...}}

  {"jobs": [{"service": "s3", "endpoint": "http://127.0.0.1:PORT",
             "access_key": "...", "secret_key": "...",
             "operation": "ListObjects", "params": {...},
             "config": {"PageSize": 3, "MaxItems": 5, "StartingToken": "..."},
             "search": "Contents[].Key", "drop": ["NextMarker"]}, ...]}
      -> {"results": [{"pages": [...], "resume_token": ...,
                       "full_result": {...}, "search": [...]}, ...]}

  A job with "chain": true is run again from the NextToken of its full result until there
  is none, and answers {"runs": [<result>, ...]}: what a boto3 user who stores NextToken and
  comes back later gets.

"drop" (optional) lists page keys removed from every response before the paginator sees it.
For each job, three separate runs of `client.get_paginator(op).paginate(**params,
PaginationConfig=config)`: the pages (and the iterator's `resume_token` afterwards), then
`build_full_result()` (whose "NextToken" is what boto3 users store), then `search(expr)`
when one is given. Pages are printed without botocore's ResponseMetadata; datetimes as ISO
8601 text, bytes as base64. Any error is printed to stderr and the exit status is 1.
"""

import base64
import datetime
import json
import sys

import boto3
import botocore
from botocore import xform_name
from botocore.config import Config
from botocore.loaders import Loader


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    return value


def client(job):
    config = Config(
        region_name="us-east-1",
        retries={"max_attempts": 1, "mode": "standard"},
        connect_timeout=10,
        read_timeout=60,
        s3={"addressing_style": "path"},
    )
    return boto3.client(
        job["service"],
        endpoint_url=job["endpoint"],
        aws_access_key_id=job.get("access_key", "paginate-peers"),
        aws_secret_access_key=job.get("secret_key", "paginate-peers-secret"),
        config=config,
    )


def run(job):
    api = client(job)
    if job.get("drop"):
        # Page keys removed before the paginator sees them: the Rust side drops the same.
        def drop(parsed, **kwargs):
            for key in job["drop"]:
                parsed.pop(key, None)

        service = api.meta.service_model.service_id.hyphenize()
        api.meta.events.register(f"after-call.{service}.{job['operation']}", drop)
    paginator = api.get_paginator(xform_name(job["operation"]))
    params = job.get("params", {})
    config = job.get("config", {})

    def start():
        return paginator.paginate(**params, PaginationConfig=dict(config))

    pages = start()
    listed = [plain(page) for page in pages]
    result = {
        "pages": listed,
        "resume_token": pages.resume_token,
        "full_result": plain(start().build_full_result()),
    }
    if job.get("search") is not None:
        result["search"] = plain(list(start().search(job["search"])))
    return result


def chain(job):
    runs = []
    job = dict(job, config=dict(job.get("config", {})))
    while True:
        result = run(job)
        runs.append(result)
        token = result["full_result"].get("NextToken")
        if token is None:
            return {"runs": runs}
        if len(runs) > 10000:
            raise RuntimeError(f"{job['operation']}: no end after {len(runs)} resumed runs")
        job["config"]["StartingToken"] = token


def main():
    request = json.load(sys.stdin)
    if "models" in request:
        loader = Loader()
        answer = {
            "botocore": botocore.__version__,
            "boto3": boto3.__version__,
            "models": {s: loader.load_service_model(s, "paginators-1") for s in request["models"]},
        }
    else:
        answer = {"results": [chain(job) if job.get("chain") else run(job) for job in request["jobs"]]}
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 - the test prints it
        print(f"oracle.py: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
