"""Many machines: classify transcripts on a Dask cluster, shard by shard, resumably.

The sorted list of files is cut into fixed-size shards and each shard is one
Dask task. A worker loads the model once (kept per worker process) and writes
the shard's results to ``part-NNNNN.jsonl`` in the output folder, then a record
of that part, ``part-NNNNN.done.json`` (its files, counts, skipped files and the
part's sha256). Both are written atomically, so a part is complete or absent.
``manifest.json`` holds the run's settings and, at the end, every part.

Running the same command on the same folder again keeps every part whose record
matches its shard and whose checksum is right, and classifies only the others:
a killed worker costs only the shards it was working on. A folder started with
another model (or other settings that change results) is refused. One run at a
time per output folder: a run removes the part files it cannot vouch for.

Results are the single-process results, file by file: a transcript's result
does not depend on the other files of its batch (see :mod:`motive.pipeline`).
Workers read the files and write the parts themselves, so with a remote cluster
the transcripts and the output folder must be on storage every worker sees, at
the same absolute paths.

Dask is an optional extra (``pip install -e ".[dask]"`` in motive's source
folder); it is imported only when a run starts. The client loads no model:
only the workers do.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from motive.errors import ModelError, MotiveError
from motive.transcripts import DEFAULT_MAX_BYTES

#: Files per shard (one Dask task) unless the caller says otherwise.
DEFAULT_SHARD_SIZE = 100
MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = 1
INSTALL_HINT = "motive's Dask engine needs the extra: pip install 'motive[dask]' (in a clone of motive: pip install -e '.[dask]')"
#: Settings that change results: a folder started with other values is refused.
RESULT_SETTINGS = ("model_sha256", "interviewer", "max_bytes", "motive", "precision")
_PART_FILE = re.compile(r"part-(\d{5,})\.(jsonl|done\.json)")


def require_dask():
    """The ``dask.distributed`` module, or a :class:`MotiveError` saying how to install it."""
    try:
        import dask.distributed
    except ImportError:
        raise MotiveError(INSTALL_HINT) from None
    return dask.distributed


# --- shards -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shard:
    """A fixed slice of the run's sorted files; its id changes when its files do."""

    index: int
    sources: tuple[str, ...]  # the paths as the caller named them: each Result's ``source``

    @property
    def digest(self) -> str:
        return hashlib.sha256("\n".join(self.sources).encode("utf-8", "surrogateescape")).hexdigest()[:16]

    @property
    def id(self) -> str:
        return f"{self.index:05d}-{self.digest}"

    @property
    def part(self) -> str:
        return f"part-{self.index:05d}.jsonl"

    @property
    def record(self) -> str:
        return f"part-{self.index:05d}.done.json"


def plan_shards(paths: Iterable[Path | str], shard_size: int = DEFAULT_SHARD_SIZE) -> list[Shard]:
    """Cut the sorted, de-duplicated file list into shards of ``shard_size`` files.

    The same files always give the same shards, whatever order they were named in:

    >>> [s.sources for s in plan_shards(["c.txt", "a.txt", "b.txt", "a.txt"], 2)]
    [('a.txt', 'b.txt'), ('c.txt',)]
    """
    if shard_size < 1:
        raise ValueError(f"shard_size={shard_size}; expected 1 or more files per shard")
    first: dict[str, str] = {}  # a file named twice, or by two paths (a link), is classified once
    for source in sorted(dict.fromkeys(str(p) for p in paths)):
        first.setdefault(os.path.realpath(source), source)
    sources = sorted(first.values())
    return [Shard(index, tuple(sources[start : start + shard_size])) for index, start in enumerate(range(0, len(sources), shard_size))]


# --- settings ---------------------------------------------------------------------------------


def model_fingerprint(folder: Path, reader: bool = True) -> str:
    """The fingerprint of the model folder's config (:func:`motive.model.config_fingerprint`),
    as loaded with or without its reader."""
    from motive.model import config_fingerprint, read_config, without_reader

    config = read_config(folder)  # a clear ModelError for a missing or damaged folder
    return config_fingerprint(config if reader else without_reader(config))


def manifest_settings(
    model_path: Path | str | None, *, interviewer: str | list[str] | None, max_bytes: int, device: str | None, shard_size: int,
    precision: str = "auto", reader: bool = True,
) -> dict:
    """What a run is made with; :data:`RESULT_SETTINGS` must match to resume a folder."""
    from motive import __version__
    from motive.model import default_model_path

    folder = Path(model_path).absolute() if model_path else default_model_path().absolute()
    return {
        "model": str(folder),
        "model_sha256": model_fingerprint(folder, reader),
        "reader": reader,
        "interviewer": interviewer,
        "max_bytes": max_bytes,
        "motive": __version__,
        "device": device,
        "precision": precision,
        "shard_size": shard_size,
    }


def result_settings(settings: dict) -> dict:
    return {key: settings.get(key) for key in RESULT_SETTINGS}


def refuse_other_settings(folder: Path, settings: dict) -> None:
    """Raise when ``folder`` holds a run made with other result-changing settings."""
    previous = read_manifest(folder)
    if previous is None:
        return
    theirs, ours = result_settings(previous.get("settings", {})), result_settings(settings)
    changed = [key for key in RESULT_SETTINGS if theirs[key] != ours[key]]
    if changed:
        what = ", ".join(f"{key} {theirs[key]!r} there, {ours[key]!r} now" for key in changed)
        raise MotiveError(
            f"{folder} holds results made with other settings ({what}): "
            "name another output folder, or delete this one to start over"
        )


# --- on a worker ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def worker_model(folder: str, sha256: str, device: str | None, precision: str = "auto", reader: bool = True):
    """The run's model, loaded once per worker process; refuses a folder that is not the run's model."""
    from motive.model import load_model

    if model_fingerprint(Path(folder), reader) != sha256:
        raise ModelError(
            f"the model folder {folder} on worker host {socket.gethostname()} is not the model this run started with "
            "(its config.json differs): give every worker the same model folder"
        )
    return load_model(folder, device=device or "auto", precision=precision, reader=reader)


def classify_shard(shard: Shard, locations: list[str], folder: str, settings: dict) -> dict:
    """Classify one shard on a worker, write its part and its record; returns the record.

    ``locations`` are the absolute paths to read (``shard.sources`` may be relative
    to the client's working folder); each result keeps its source as named.
    """
    from motive.embed import sha256_file
    from motive.output import Summary, Writer, atomic_output
    from motive.pipeline import classify_many

    model = worker_model(
        settings["model"], settings["model_sha256"], settings.get("device"), settings.get("precision", "auto"), settings.get("reader", True)
    )
    summary = Summary()
    part = Path(folder) / shard.part
    with atomic_output(part, None) as stream:
        writer = Writer(stream, "jsonl")
        results = classify_many([Path(location) for location in locations], model=model, interviewer=settings["interviewer"], max_bytes=settings["max_bytes"])
        for source, result in zip(shard.sources, results, strict=True):  # plan_shards lists each transcript once
            result.source = source
            summary.add(result)
            if result.ok:
                writer.write(result)
        writer.close()
    record = {
        "shard": shard.index,
        "id": shard.id,
        "part": shard.part,
        "sha256": sha256_file(part),
        "bytes": part.stat().st_size,
        "files": list(shard.sources),
        "transcripts": summary.transcripts,
        "answers": dict(summary.labels),
        "chains": summary.chains,
        "chains_without_outcome": summary.chains_without_outcome,
        "skipped": [{"source": source, "problem": problem} for source, problem in summary.skipped],
        # what "auto" became on this worker's hardware ("auto" where nothing was embedded)
        "precision_used": getattr(model.embedder, "precision", None),
        "settings": result_settings(settings),
    }
    write_json(Path(folder) / shard.record, record)
    return record


# --- the output folder ------------------------------------------------------------------------


def write_json(path: Path, data: dict) -> None:
    """Write JSON atomically: a temporary file beside ``path``, then moved into place."""
    from motive.output import atomic_output

    with atomic_output(path, None) as stream:
        stream.write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def read_manifest(folder: Path) -> dict | None:
    path = folder / MANIFEST_FILE
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise MotiveError(f"{path} is damaged (not JSON): delete it to rebuild it from the parts' records") from None


def finished_record(folder: Path, shard: Shard, settings: dict) -> dict | None:
    """The shard's record when its part is there, complete, and made from the same files and settings."""
    from motive.embed import sha256_file

    record_path, part = folder / shard.record, folder / shard.part
    if not (record_path.is_file() and part.is_file()):
        return None
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    same = (
        record.get("id") == shard.id
        and record.get("files") == list(shard.sources)
        and record.get("settings") == result_settings(settings)
        and record.get("sha256") == sha256_file(part)
    )
    return record if same else None


def clear_unfinished(folder: Path, shards: list[Shard], finished: dict[int, dict]) -> None:
    """Remove part files that no finished shard vouches for, and temporary files of killed tasks."""
    keep = {name for i in finished for name in (shards[i].part, shards[i].record)}
    for path in folder.iterdir():
        stray_temporary = path.name.startswith((".part-", f".{MANIFEST_FILE}.")) and path.name.endswith(".part")
        if (_PART_FILE.fullmatch(path.name) and path.name not in keep) or stray_temporary:
            path.unlink(missing_ok=True)


@dataclass
class Manifest:
    """A run's output folder: its settings, finished parts and missing shards."""

    folder: Path
    settings: dict
    parts: list[dict] = field(default_factory=list)  # records of finished parts, in shard order
    missing: list[dict] = field(default_factory=list)  # {"shard", "part", "files", "problem"}
    ran: list[int] = field(default_factory=list)  # shards classified by this call
    reused: list[int] = field(default_factory=list)  # shards already finished before it

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def precisions_used(self) -> list[str]:
        """The precisions the workers ran at (``--precision auto`` is chosen on each worker's
        hardware, so a mixed cluster can give parts of both); parts from before this was recorded
        say nothing."""
        return sorted({used for r in self.parts if (used := r.get("precision_used")) and used != "auto"})

    def summary(self):
        """The run's counts as a :class:`motive.output.Summary` (the CLI's closing lines)."""
        from collections import Counter

        from motive.output import Summary

        summary = Summary()
        for record in self.parts:
            summary.transcripts += record["transcripts"]
            summary.labels.update(Counter(record["answers"]))
            summary.chains += record["chains"]
            summary.chains_without_outcome += record["chains_without_outcome"]
            summary.skipped += [(s["source"], s["problem"]) for s in record["skipped"]]
        return summary

    def results(self) -> Iterator[dict]:
        """Every classified transcript's record, part by part (what ``Result.to_dict()`` gives)."""
        for record in self.parts:
            with (self.folder / record["part"]).open(encoding="utf-8") as lines:
                yield from (json.loads(line) for line in lines)

    def to_dict(self) -> dict:
        return {
            "format": MANIFEST_FORMAT,
            "complete": self.complete,
            "settings": self.settings,
            "files": sum(len(r["files"]) for r in self.parts) + sum(len(m["files"]) for m in self.missing),
            "parts": [{k: v for k, v in r.items() if k != "settings"} for r in self.parts],
            "missing": self.missing,
        }

    def save(self) -> None:
        write_json(self.folder / MANIFEST_FILE, self.to_dict())


# --- the client -------------------------------------------------------------------------------


def local_workers() -> int:
    """Worker processes for a local cluster: one per CPU core."""
    return os.cpu_count() or 1


@contextmanager
def connect(scheduler, workers: int | None):
    """A Dask client: for ``scheduler`` (an address or a ``Client``), or on a new local cluster."""
    distributed = require_dask()
    if isinstance(scheduler, distributed.Client):
        yield scheduler
        return
    if scheduler:
        try:
            client = distributed.Client(scheduler)
        except (OSError, TimeoutError, ValueError) as error:  # unreachable, or not an address
            raise MotiveError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        with client:
            yield client
        return
    cluster = distributed.LocalCluster(
        n_workers=workers or local_workers(), threads_per_worker=1, processes=True, dashboard_address=None,
        silence_logs=logging.CRITICAL,  # motive reports every failed shard itself
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


def classify_on_dask(
    paths: Iterable[Path | str],
    out_dir: Path | str,
    *,
    model_path: Path | str | None = None,
    scheduler=None,
    workers: int | None = None,
    shard_size: int = DEFAULT_SHARD_SIZE,
    interviewer: str | list[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    device: str | None = None,
    precision: str = "auto",
    reader: bool = True,
    on_part: Callable[[dict], None] | None = None,
) -> Manifest:
    """Classify transcripts (files, and folders walked as the command line walks them) on Dask into ``out_dir``;
    resumes a folder a previous run left unfinished.

    ``scheduler`` is a scheduler address (``tcp://host:8786``) or a
    ``dask.distributed.Client``; without one a local cluster of ``workers``
    processes (default: one per CPU core) runs for the call. ``device``,
    ``precision`` and ``reader`` go to :func:`motive.model.load_model` on each worker.
    ``on_part`` is called with each finished part's record, reused ones first.
    A shard whose task fails is listed in :attr:`Manifest.missing` and the
    others go on; calling again with the same arguments classifies only it.
    Raises :class:`MotiveError` when the folder holds another model's results.
    """
    from motive.transcripts import find_transcripts

    require_dask()
    paths = find_transcripts([Path(p) for p in paths])  # folders walked as the command line walks them
    folder = Path(out_dir).absolute()
    settings = manifest_settings(
        model_path, interviewer=interviewer, max_bytes=max_bytes, device=device, shard_size=shard_size, precision=precision,
        reader=reader,
    )
    shards = plan_shards(paths, shard_size)
    if folder.exists() and not folder.is_dir():
        raise MotiveError(f"{folder} is a file; --engine dask writes a folder of parts")
    refuse_other_settings(folder, settings)
    folder.mkdir(parents=True, exist_ok=True)

    finished = {s.index: r for s in shards if (r := finished_record(folder, s, settings)) is not None}
    clear_unfinished(folder, shards, finished)
    manifest = Manifest(folder, settings, reused=sorted(finished))
    manifest.missing = [_missing(s, "not classified yet") for s in shards if s.index not in finished]
    manifest.save()  # the settings are on disk before any work, so a resume can check them
    for index in manifest.reused:
        if on_part:
            on_part(finished[index])

    failed: dict[int, str] = {}
    todo = [s for s in shards if s.index not in finished]
    if todo:
        with connect(scheduler, workers) as client:
            for shard, record, problem in _run(client, todo, folder, settings):
                if problem is not None:
                    failed[shard.index] = problem
                    continue
                finished[shard.index] = record
                manifest.ran.append(shard.index)
                if on_part:
                    on_part(record)

    manifest.ran.sort()
    manifest.parts = [finished[s.index] for s in shards if s.index in finished]
    manifest.missing = [_missing(s, failed[s.index]) for s in shards if s.index in failed]
    _check_visible(manifest)
    manifest.save()
    return manifest


def _run(client, shards: list[Shard], folder: Path, settings: dict) -> Iterator[tuple[Shard, dict | None, str | None]]:
    """Submit one task per shard; yield (shard, record, None) or (shard, None, problem) as each ends."""
    from dask.distributed import as_completed
    from distributed import KilledWorker

    locations = [[str(Path(s).absolute()) for s in shard.sources] for shard in shards]
    submitted = client.map(classify_shard, shards, locations, [str(folder)] * len(shards), [settings] * len(shards), pure=False)
    futures = dict(zip(submitted, shards))
    for future in as_completed(submitted):
        shard = futures[future]
        try:
            yield shard, future.result(), None
        except KilledWorker:
            yield shard, None, "its worker died while classifying it"
        except MotiveError as error:
            yield shard, None, str(error)
        except Exception as error:  # anything a worker raises costs only its shard
            yield shard, None, f"{type(error).__name__}: {error}"
        finally:
            future.release()


def _missing(shard: Shard, problem: str) -> dict:
    return {"shard": shard.index, "part": shard.part, "files": list(shard.sources), "problem": problem}


def _check_visible(manifest: Manifest) -> None:
    """Workers write the parts; the client must see them, or the folder is not shared."""
    unseen = [r["part"] for r in manifest.parts if not (manifest.folder / r["part"]).is_file()]
    if unseen:
        raise MotiveError(
            f"the workers wrote {len(unseen)} parts that this machine cannot see in {manifest.folder} "
            f"(first: {unseen[0]}): the output folder must be on storage shared by this machine and every worker"
        )
