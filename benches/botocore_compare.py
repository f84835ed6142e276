"""botocore's Paginator against paginate, same workload, same machine, interleaved rounds.

Builds paginate's bench, has it dump its canned S3 ListObjects bodies (so botocore parses the
very same bytes, with json.loads in its fake client as a real one would), and starts it as a
long-lived child (`paginate-bench serve`) that times one run at a time in-process. Then, per
case and page size, after a warm-up that checks all three sides return as many results, it
runs ROUNDS rounds of: a botocore run (timed here), a paginate run, a hand-written-loop run
(both timed in the child, process start-up never included). A round's ratios are taken
within the round (botocore / paginate; paginate / hand-written loop; botocore / hand-written
loop, the most a paginator could reach on these bodies), and the table reports their medians: runs minutes apart differ by 2-4x in
absolute time on a shared machine, so ratios of separately measured medians are not
trustworthy.

    python3 -m venv .venv && .venv/bin/pip install botocore==1.44.8
    .venv/bin/python benches/botocore_compare.py [--rounds N] [--json FILE]

Cases (paginate's side / botocore's side, both over the same bodies):

    items                   items() over a transport that parses (Value) / result_key_iters()
    typed_items_body        items().typed::<Object>() over bodies / result_key_iters()
    search                  search(SEARCH) over a Value transport / search(SEARCH)
    full_result             build_full_result() (Value) / build_full_result()
    typed_full_result_body  build_full_result_as::<TypedListing>() over bodies / build_full_result()
    max_items_chunks        runs of max_items 250, each from the last one's token (Value), both sides
"""

import argparse
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
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
MODEL = {
    "more_results": "IsTruncated",
    "limit_key": "MaxKeys",
    "output_token": "NextMarker || Contents[-1].Key",
    "input_token": "Marker",
    "result_key": ["Contents", "CommonPrefixes"],
}
SEARCH = "Contents[?Size > `500`].Key"
CHUNK = 250  # paginate-bench's max_items_chunks
PAGES = (100, 1000)


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


# paginate-bench case -> (botocore's side, target for botocore / paginate or None)
CASES = {
    "items": (items, None),
    "typed_items_body": (items, 3.0),
    "search": (search, None),
    "full_result": (full_result, None),
    "typed_full_result_body": (full_result, 2.0),
    "max_items_chunks": (max_items_chunks, None),
}


class Bench:
    """The `paginate-bench serve` child: one command a line, one answer a line."""

    def __init__(self, exe):
        self.child = subprocess.Popen(
            [exe, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        if self.read() != "ready":
            sys.exit("paginate-bench serve did not start")

    def read(self):
        line = self.child.stdout.readline()
        if not line:
            sys.exit(f"paginate-bench serve exited (status {self.child.wait()})")
        return line.strip()

    def ask(self, command):
        self.child.stdin.write(command + "\n")
        self.child.stdin.flush()
        return self.read()

    def check(self, case, page):
        return int(self.ask(f"check {case} {page}"))

    def run(self, case, page, side):
        seconds, count = self.ask(f"run {case} {page} {side}").split()
        return float(seconds), int(count)

    def close(self):
        self.child.stdin.close()
        self.child.wait()


def timed(fn, p):
    start = time.perf_counter()
    n = fn(p)
    return time.perf_counter() - start, n


def measure(bench, case, page, fn, p, rounds):
    expected = bench.check(case, page)  # both Rust sides once, checked to agree
    theirs = fn(p)  # botocore's warm-up
    if theirs != expected:
        sys.exit(f"{case}/{page}: botocore gave {theirs} results, paginate {expected}")
    b, o, h = [], [], []
    for _ in range(rounds):
        for side, samples in (("botocore", b), ("ours", o), ("hand", h)):
            if side == "botocore":
                seconds, n = timed(fn, p)
            else:
                seconds, n = bench.run(case, page, side)
            if n != expected:
                sys.exit(f"{case}/{page}: {side} gave {n} results, expected {expected}")
            samples.append(seconds)
    return {
        "case": case,
        "page": page,
        "rounds": rounds,
        "botocore_s": statistics.median(b),
        "paginate_s": statistics.median(o),
        "hand_s": statistics.median(h),
        "botocore_over_paginate": statistics.median(x / y for x, y in zip(b, o)),
        "paginate_over_hand": statistics.median(y / z for y, z in zip(o, h)),
        # The ceiling: what a paginator that cost nothing beside the hand-written loop would get.
        "botocore_over_hand": statistics.median(x / z for x, z in zip(b, h)),
        "min_botocore_over_paginate": min(x / y for x, y in zip(b, o)),
        "max_botocore_over_paginate": max(x / y for x, y in zip(b, o)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds per case (default 15)")
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--cases", help="comma-separated subset of: " + ", ".join(CASES))
    args = parser.parse_args()
    cases = args.cases.split(",") if args.cases else list(CASES)
    for case in cases:
        if case not in CASES:
            sys.exit(f"unknown case {case}: one of {', '.join(CASES)}")

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "paginate-bench"], cwd=ROOT, check=True)
    exe = os.path.join(TARGET, "release", "paginate-bench")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([exe, "dump", tmp], check=True)
        bench = Bench(exe)
        print(
            f"botocore {botocore.__version__}, Python {sys.version.split()[0]}; "
            f"{args.rounds} interleaved rounds (botocore, paginate, hand-written loop); "
            "ratios are medians of the per-round ratios"
        )
        header = (
            f"{'case':<24} {'page':>5} {'botocore':>10} {'paginate':>10} {'by hand':>10} "
            f"{'boto/pag':>9} {'(min-max)':>13} {'pag/hand':>9} {'boto/hand':>10} {'target':>7}"
        )
        print(header)
        for page in PAGES:
            bodies = load(os.path.join(tmp, f"pages-{page}.jsonl"))
            for case in cases:
                fn, target = CASES[case]
                r = measure(bench, case, page, fn, paginator(bodies), args.rounds)
                rows.append(r)
                spread = f"{r['min_botocore_over_paginate']:.2f}-{r['max_botocore_over_paginate']:.2f}"
                goal = f"{target:.0f}x" if target else ""
                print(
                    f"{case:<24} {page:>5} {r['botocore_s'] * 1e3:>8.2f}ms {r['paginate_s'] * 1e3:>8.2f}ms "
                    f"{r['hand_s'] * 1e3:>8.2f}ms {r['botocore_over_paginate']:>8.2f}x {spread:>13} "
                    f"{r['paginate_over_hand']:>8.3f}x {r['botocore_over_hand']:>9.2f}x {goal:>7}",
                    flush=True,
                )
        bench.close()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
