"""Describes the botocore package's model files for tests/botocore_models.rs.

Prints one JSON document: botocore's version and, for every service API version directory,
the paths of its paginators-1.json (and sdk-extras, when present), plus the part of its
service-2.json that says what type each paginated operation's limit parameter has.
service-2.json is read through botocore's own loader because it ships gzipped.
"""

import glob
import json
import os
import sys

try:
    import botocore
    from botocore.loaders import Loader
except ImportError:
    sys.exit(f"botocore is not installed for {sys.executable}")

data = os.path.join(os.path.dirname(botocore.__file__), "data")
loader = Loader()
dirs = []
for paginators in sorted(glob.glob(os.path.join(data, "*", "*", "paginators-1.json"))):
    folder = os.path.dirname(paginators)
    service = os.path.basename(os.path.dirname(folder))
    api_version = os.path.basename(folder)
    extras = os.path.join(folder, "paginators-1.sdk-extras.json")
    with open(paginators) as f:
        pagination = json.load(f)["pagination"]
    model = loader.load_service_model(service, "service-2", api_version)
    subset = {"operations": {}, "shapes": {}}
    for op, entry in pagination.items():
        limit = entry.get("limit_key")
        operation = model["operations"].get(op)
        if not limit or not operation or "input" not in operation:
            continue
        input_shape = operation["input"]["shape"]
        member = model["shapes"][input_shape].get("members", {}).get(limit)
        if member is None:
            continue
        subset["operations"][op] = {"input": {"shape": input_shape}}
        subset["shapes"].setdefault(input_shape, {"type": "structure", "members": {}})
        subset["shapes"][input_shape]["members"][limit] = {"shape": member["shape"]}
        subset["shapes"][member["shape"]] = {"type": model["shapes"][member["shape"]]["type"]}
    dirs.append({
        "service": service,
        "api_version": api_version,
        "paginators": paginators,
        "extras": extras if os.path.exists(extras) else None,
        "limit_shapes": subset,
    })
json.dump({"botocore": botocore.__version__, "data": data, "dirs": dirs}, sys.stdout)
