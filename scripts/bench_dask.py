"""How classification throughput grows with the number of local Dask workers.

    python scripts/bench_dask.py [--files 192] [--shard-size 32] [--workers 1 2 4] [--device cuda]

Builds a batch of transcripts from the corpus's interviews (copies, so the batch
can be larger than the corpus; motive's reader skips the ``@`` annotation
lines), then classifies it with the default model in one process
(:func:`motive.classify_many`, torch on one thread like each Dask worker) and with :func:`motive.distributed.classify_on_dask`
on local clusters of 1, 2 and as many workers as the machine has cores, one after
the other in the same run. Each Dask run starts from an empty output folder; its
time includes loading the model (once per worker), not the cluster's start, which
is reported apart; the one-process time includes loading the model too. The script checks that every run gives the same results.
With ``--device cuda`` every process runs the models on the machine's GPU, which the workers share.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_batch(folder: Path, count: int) -> list[Path]:
    """``count`` transcripts copied from the corpus interviews, cycling through them."""
    sources = sorted((ROOT / "corpora" / "interviews").rglob("*.txt"))
    batch = []
    for index in range(count):
        source = sources[index % len(sources)]
        target = folder / f"{index:06d}-{source.name}"
        shutil.copy(source, target)
        batch.append(target)
    return batch


def digest(records: list[dict]) -> str:
    """One hash over every result, in source order: equal hashes mean equal results."""
    text = "\n".join(json.dumps(r, sort_keys=True) for r in sorted(records, key=lambda r: r["source"]))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def single_process(files: list[Path], device: str) -> dict:
    from motive.model import load_model
    from motive.pipeline import classify_many

    import torch

    torch.set_num_threads(1)  # as in a Dask worker process, which Dask starts with OMP_NUM_THREADS=1
    start = time.perf_counter()
    records = [r.to_dict() for r in classify_many(files, model=load_model(device=device)) if r.ok]
    return {"engine": "one process (no Dask)", "start": None, "seconds": time.perf_counter() - start, "records": records}


def on_dask(files: list[Path], workers: int, shard_size: int, out: Path, device: str) -> dict:
    from dask.distributed import Client, LocalCluster

    from motive.distributed import classify_on_dask

    start = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50) as cluster:
        with Client(cluster) as client:
            started = time.perf_counter()
            manifest = classify_on_dask(files, out, scheduler=client, shard_size=shard_size, device=device)
            end = time.perf_counter()
    assert manifest.complete, manifest.missing
    return {"engine": f"dask, {workers} worker{'s' * (workers > 1)}", "start": started - start,
            "seconds": end - started, "records": list(manifest.results())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=192, help="transcripts in the batch")
    parser.add_argument("--shard-size", type=int, default=32)
    parser.add_argument("--workers", type=int, nargs="+", default=sorted({1, 2, os.cpu_count() or 1}))
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="where every process runs the models")
    options = parser.parse_args()
    load_before = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="motive-bench-") as temporary:
        folder = Path(temporary)
        (folder / "batch").mkdir()
        files = build_batch(folder / "batch", options.files)
        runs = [single_process(files, options.device)]
        runs += [on_dask(files, n, options.shard_size, folder / f"out-{n}", options.device) for n in options.workers]

    answers = sum(len(r["answers"]) for r in runs[0]["records"])
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average before: {load_before:.1f}, after: {os.getloadavg()[0]:.1f}")
    print(f"{options.files} transcripts, {answers} answers, shard size {options.shard_size}, device {options.device}\n")
    print("| engine | cluster start (s) | classify (s) | transcripts/s | answers/s | speed-up vs 1 worker | results |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    reference = digest(runs[0]["records"])
    one_worker = next((r["seconds"] for r in runs if r["engine"] == "dask, 1 worker"), None)
    for run in runs:
        same = "same" if digest(run["records"]) == reference else "DIFFERENT"
        speedup = f"{one_worker / run['seconds']:.2f}×" if one_worker and run["engine"].startswith("dask") else "–"
        start = "–" if run["start"] is None else f"{run['start']:.1f}"
        print(f"| {run['engine']} | {start} | {run['seconds']:.1f} | {len(run['records']) / run['seconds']:.2f} | "
              f"{answers / run['seconds']:.1f} | {speedup} | {same} |")


if __name__ == "__main__":
    main()
