"""botocore's Paginator against paginate, same workload, same machine, same run.

Builds paginate's bench, has it dump its canned S3 ListObjects bodies (so botocore parses the
very same bytes), runs the same cases through botocore.paginate.Paginator with the same
model, runs paginate's bench for its own figures, and prints botocore/paginate per case.

    python3 -m venv .venv && .venv/bin/pip install botocore==1.44.8
    .venv/bin/python benches/botocore_compare.py
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

try:
    import botocore
    from botocore.paginate import Paginator
except ImportError:
    sys.exit(f"botocore is not installed for {sys.executable}: pip install botocore==1.44.8")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = {
    "more_results": "IsTruncated",
    "limit_key": "MaxKeys",
    "output_token": "NextMarker || Contents[-1].Key",
    "input_token": "Marker",
    "result_key": ["Contents", "CommonPrefixes"],
}
SEARCH = "Contents[?Size > `500`].Key"
CHUNK = 250
ROUNDS = 7


def load(path):
    bodies = {}
    with open(path) as f:
        for line in f:
            entry = json.loads(line)
            bodies[entry["marker"]] = entry["body"]
    return bodies


def paginator(bodies):
    def list_objects(**kwargs):
        return json.loads(bodies[kwargs.get("Marker", "")])

    return Paginator(list_objects, MODEL, None)


def items(p):
    return sum(1 for _ in p.paginate(Bucket="media").result_key_iters()[0])


def search(p):
    return sum(1 for _ in p.paginate(Bucket="media").search(SEARCH))


def full_result(p):
    return len(p.paginate(Bucket="media").build_full_result()["Contents"])


def max_items_chunks(p):
    n, token = 0, None
    while True:
        config = {"MaxItems": CHUNK}
        if token:
            config["StartingToken"] = token
        full = p.paginate(Bucket="media", PaginationConfig=config).build_full_result()
        n += len(full.get("Contents", []))
        token = full.get("NextToken")
        if not token:
            return n


CASES = {"items": items, "search": search, "full_result": full_result, "max_items_chunks": max_items_chunks}


def median_seconds(fn, p):
    fn(p)  # warm up
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fn(p)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "paginate-bench"], cwd=ROOT, check=True)
    bench = os.path.join(ROOT, "target", "release", "paginate-bench")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([bench, "dump", tmp], check=True)
        results = os.path.join(tmp, "results.json")
        subprocess.run([bench, "--json", results], check=True, stdout=subprocess.DEVNULL)
        with open(results) as f:
            ours = {(r["case"], r["page"]): r for r in json.load(f)}
        print(f"botocore {botocore.__version__}, Python {sys.version.split()[0]}; median of {ROUNDS} runs")
        print(f"{'case':<18} {'page':>5} {'botocore':>11} {'paginate':>11} {'botocore/paginate':>18}")
        for page in (100, 1000):
            bodies = load(os.path.join(tmp, f"pages-{page}.jsonl"))
            for name, fn in CASES.items():
                p = paginator(bodies)
                theirs = median_seconds(fn, p)
                mine = ours[(name, page)]["paginate_s"]
                print(f"{name:<18} {page:>5} {theirs * 1e3:>9.1f}ms {mine * 1e3:>9.2f}ms {theirs / mine:>17.1f}x")


if __name__ == "__main__":
    main()
