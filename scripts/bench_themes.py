"""Themes of many answers: time and peak memory of clustering on a sample against clustering them all.

    python scripts/bench_themes.py                      # 4,000 / 8,000 / 16,000 answers
    python scripts/bench_themes.py --sizes 2000,32000 --full-up-to 16000

Each run clusters synthetic 384-dimension vectors (40 groups, as MiniLM's) in a process of its
own, so that its peak memory is its own; the two ways take turns at each size. Clustering all
answers holds every pair's distance; past ``motive.themes.MAX_CLUSTERED`` answers motive
clusters a fixed sample and lets the rest join their nearest theme.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

RUN = """
import json, resource, sys, time
import numpy as np
import motive.themes as themes
size, whole = int(sys.argv[1]), sys.argv[2] == "whole"
rng = np.random.default_rng(0)
vectors = (rng.normal(size=(40, 384))[rng.integers(0, 40, size)] + 0.8 * rng.normal(size=(size, 384))).astype(np.float32)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if whole:
    themes.MAX_CLUSTERED = size
start = time.perf_counter()
labels = themes.cluster(vectors, themes.DEFAULT_DISTANCE)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "added_mb": (peak - before) / 1024, "themes": int(len(set(labels)))}))
"""


def measure(size: int, whole: bool) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN, str(size), "whole" if whole else "sampled"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="4000,8000,16000", help="answers to cluster, comma-separated")
    parser.add_argument("--full-up-to", type=int, default=16000, help="cluster all answers only up to this many (memory)")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    from motive.themes import MAX_CLUSTERED

    rows = []
    print(f"MAX_CLUSTERED = {MAX_CLUSTERED}\n")
    print("| answers | way | seconds | peak memory (MB) | memory added by clustering (MB) | themes |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for size in (int(s) for s in args.sizes.split(",")):
        ways = ["sampled"] + (["whole"] if size <= args.full_up_to and size > MAX_CLUSTERED else [])
        for way in ways:
            figures = measure(size, way == "whole") | {"answers": size, "way": way}
            rows.append(figures)
            print(f"| {size:,} | {way} | {figures['seconds']:.1f} | {figures['peak_mb']:.0f} | {figures['added_mb']:.0f} | {figures['themes']} |",
                  flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=2)


if __name__ == "__main__":
    main()
