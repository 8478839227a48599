"""How fast is motive, measured against the embedding model it is built on?

    python scripts/bench_speed.py                         # every section, default sizes
    python scripts/bench_speed.py --only throughput --transcripts 200
    python scripts/bench_speed.py --only cli,rss
    python scripts/bench_speed.py --only training

Figures are ratios of runs made side by side in one process (or one script), so
they hold on a shared, noisy machine where absolute speeds drift:

- throughput: ``classify_many`` answers/s on a generated batch, ÷ the embedding
  model alone encoding the same answer texts (sentence-transformers ``encode``,
  batch 32) in fp32, and ÷ the same in bf16 (the fastest encode here); plus the
  share of answers whose label is the same in the fp32 and bf16 runs. The
  systems take turns on slices of the batch (``--slice``), so a change in the
  machine's load falls on all of them alike. For a model with a reader, two more
  systems run: the bf16 run without it (``--no-reader``), and with it reading
  every answer and question;
- cli: ``motive --help`` wall time, and ``motive classify ONE_FILE`` ÷
  ``python -c "import sentence_transformers"`` (medians of repeats, the three
  commands taking turns round by round);
- rss: peak resident memory of ``motive classify`` over two batch sizes of small transcripts;
- training: ``motive.train`` on the corpus's train+dev split, without and with an embedding cache;
  then with a reader (one epoch on ``--reader-interviews`` of them), fine-tuned and then read
  from the reader cache the first run filled;
- feed: ``classify_many`` as above, ÷ the same with the models' layers taken away: their outputs
  looked up once computed, while the tokenizers still run. The second is what one process can feed
  an accelerator at most, however fast it computes; the first ÷ the second is the share of the time
  that is left outside the layers.

``--device cuda`` runs the throughput and feed sections on a GPU.

The generated batch recombines the corpus's interviews: each file is a corpus
interview with its ``@`` annotation lines dropped and a random corpus word put
into every eight words of each answer, so no sentence repeats another file's exactly.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "interviews"
_TURN = re.compile(r"^([^:@\n]{1,40}): (.+)$")


def corpus_transcripts() -> list[list[str]]:
    """The corpus's interviews as plain transcripts: lines, without annotation lines."""
    return [[line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("@")] for path in sorted(CORPUS.rglob("*.txt"))]


def split_front_matter(lines: list[str]) -> tuple[list[str], list[str]]:
    if lines and lines[0] == "---" and "---" in lines[1:]:
        end = lines.index("---", 1) + 1
        return lines[:end], lines[end:]
    return [], lines


def vary(lines: list[str], interviewer: str | None, vocabulary: list[str], rng: random.Random) -> list[str]:
    """Put a random word into every stretch of eight words of each respondent turn, so that no
    answer or sentence repeats another file's exactly."""
    out = []
    for line in lines:
        turn = _TURN.match(line)
        if turn and turn[1] != interviewer:
            words = turn[2].split()
            for start in range(len(words) - len(words) % 8, -1, -8):
                words.insert(start + rng.randrange(min(8, len(words) - start) + 1), rng.choice(vocabulary))
            line = f"{turn[1]}: {' '.join(words)}"
        out.append(line)
    return out


def generate(count: int, folder: Path, *, seed: int = 0, small: bool = False) -> list[Path]:
    """Write ``count`` transcripts recombined from the corpus; ``small``: only each interview's first two exchanges."""
    rng = random.Random(seed)
    interviews = corpus_transcripts()
    vocabulary = sorted({w for lines in interviews for line in lines for w in re.findall(r"\b[a-z]{4,}\b", line)})
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        front, body = split_front_matter(interviews[rng.randrange(len(interviews))])
        interviewer = next((line.split(":", 1)[1].strip() for line in front if line.startswith("interviewer:")), None)
        if small:
            body = [line for line in body if _TURN.match(line)][:4]
        path = folder / f"t{number:05d}.txt"
        path.write_text("\n".join(front + vary(body, interviewer, vocabulary, rng)) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def seconds(command: list[str], env: dict) -> float:
    """Wall time of one run of ``command``; a failing run stops the benchmark with the command's own error."""
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"error: {' '.join(command[-6:])} failed:\n{done.stderr.strip()}")
    return time.perf_counter() - started


def median_seconds(commands: dict[str, list[str]], repeats: int, env: dict) -> dict[str, float]:
    """The median wall time of each command, the commands taking turns round by round, so that a
    change in the machine's load falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            times[name].append(seconds(command, env))
    return {name: statistics.median(measured) for name, measured in times.items()}


def motive_command() -> list[str]:
    return [sys.executable, "-c", "from motive.cli import main; main()"]


def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


# --- sections ---------------------------------------------------------------------------------


def sentence_transformer(embedder, precision: str):
    """The embedding model of ``embedder`` as sentence-transformers loads it, in ``precision``, on the
    embedder's device: what the raw encode runs. None for the hashing embedder of small test models."""
    if not hasattr(embedder, "folder"):
        return None
    import torch
    from sentence_transformers import SentenceTransformer

    embedder.model  # settles the device
    encoder = SentenceTransformer(str(embedder.folder or embedder.name), device=embedder.device, local_files_only=True)
    return (encoder.to(torch.bfloat16) if precision == "bf16" else encoder).eval()


def raw_encode(model, encoder, texts: list[str]) -> float:
    """Seconds for the embedding model alone (sentence-transformers ``encode``, batch 32) on ``texts``."""
    started = time.perf_counter()
    if encoder is not None:
        encoder.encode(texts, batch_size=32, show_progress_bar=False, convert_to_numpy=True)
    else:  # the hashing embedder of small test models
        model.embedder.embed(texts)
    return time.perf_counter() - started


def end_to_end(model, paths: list[Path]) -> tuple[float, list]:
    """Seconds for ``classify_many`` over ``paths``, and the results."""
    from motive.pipeline import classify_many

    started = time.perf_counter()
    results = list(classify_many(paths, model=model))
    return time.perf_counter() - started, results


def throughput(model_path: Path | None, transcripts: int, slice_size: int, work: Path, device: str = "cpu") -> dict:
    """Answers/s of each system, run slice by slice in rotating order so that the machine's
    changing load falls on all of them alike. With a model that has a reader, the bf16 end to
    end run is also timed without it (``--no-reader``) and, when the reader reads only where the
    classifiers are unsure, with the reader reading everything."""
    from motive.embed import cpu_has_native_bf16, resolve_precision
    from motive.model import load_model
    from motive.pipeline import classify

    paths = generate(transcripts, work / "batch")
    models = {precision: load_model(model_path, precision=precision, device=device) for precision in ("fp32", "bf16")}
    systems = {  # name → (end to end?, model)
        "raw_encode_fp32": (False, models["fp32"]),
        "raw_encode_bf16": (False, models["bf16"]),
        "end_to_end_fp32": (True, models["fp32"]),
        "end_to_end_bf16": (True, models["bf16"]),
    }
    if models["bf16"].reader is not None:
        systems["end_to_end_bf16_no_reader"] = (True, load_model(model_path, precision="bf16", device=device, reader=False))
        if models["bf16"].reader.read_below < 1:
            systems["end_to_end_bf16_read_all"] = (True, load_model(model_path, precision="bf16", device=device, read_below=1.0))
    for _, model in systems.values():
        classify(paths[0], model=model)  # loads the embedding model, the reader and spaCy
    encoders = {name: sentence_transformer(model.embedder, name.rsplit("_", 1)[1]) for name, (whole, model) in systems.items() if not whole}
    for encoder in filter(None, encoders.values()):
        encoder.encode(["Warm up."] * 32, batch_size=32, show_progress_bar=False)
    seconds = dict.fromkeys(systems, 0.0)
    labels: dict[str, list[str]] = {name: [] for name, (whole, _) in systems.items() if whole}
    answers = 0
    for number, start in enumerate(range(0, len(paths), slice_size)):
        chunk = paths[start : start + slice_size]
        runs = list(seconds)
        turn = number % len(runs)
        for name in runs[turn:] + runs[:turn]:
            whole, model = systems[name]
            if whole:
                took, results = end_to_end(model, chunk)
                labels[name] += [a.label for r in results for a in r.answers]
                texts = [a.text for r in results for a in r.answers]
            else:
                took = raw_encode(model, encoders[name], texts_of(chunk))
            seconds[name] += took
        answers += len(texts)
    rates = {name: answers / took for name, took in seconds.items()}
    embedding = models["fp32"].embedder.name

    def agreement(a: str, b: str) -> float:
        return sum(x == y for x, y in zip(labels[a], labels[b])) / max(answers, 1)

    report = {
        "transcripts": transcripts,
        "answers": answers,
        "slice": slice_size,
        "embedding": embedding,
        "reader": models["bf16"].reader is not None,
        "device": device,
        "cpu_native_bf16": cpu_has_native_bf16(),
        "auto_precision_here": resolve_precision("auto", device=device, native_bf16=cpu_has_native_bf16(), model=embedding),
        "answers_per_s": rates,
        "label_agreement_fp32_vs_bf16": agreement("end_to_end_fp32", "end_to_end_bf16"),
        "ratios": {
            "end_to_end_bf16 / raw_encode_fp32 (goal >= 2.5)": rates["end_to_end_bf16"] / rates["raw_encode_fp32"],
            "end_to_end_bf16 / raw_encode_bf16 (goal >= 0.8)": rates["end_to_end_bf16"] / rates["raw_encode_bf16"],
            "end_to_end_fp32 / raw_encode_fp32": rates["end_to_end_fp32"] / rates["raw_encode_fp32"],
            "raw_encode_bf16 / raw_encode_fp32": rates["raw_encode_bf16"] / rates["raw_encode_fp32"],
        },
    }
    if "end_to_end_bf16_no_reader" in rates:
        report["ratios"].update({
            "end_to_end_bf16_no_reader / raw_encode_fp32": rates["end_to_end_bf16_no_reader"] / rates["raw_encode_fp32"],
            "end_to_end_bf16_no_reader / raw_encode_bf16": rates["end_to_end_bf16_no_reader"] / rates["raw_encode_bf16"],
            "end_to_end_bf16 / end_to_end_bf16_no_reader": rates["end_to_end_bf16"] / rates["end_to_end_bf16_no_reader"],
        })
        report["label_agreement_with_vs_without_reader"] = agreement("end_to_end_bf16", "end_to_end_bf16_no_reader")
    if "end_to_end_bf16_read_all" in rates:
        report["read_below"] = models["bf16"].reader.read_below
        report["ratios"]["end_to_end_bf16 / end_to_end_bf16_read_all"] = rates["end_to_end_bf16"] / rates["end_to_end_bf16_read_all"]
        report["label_agreement_reading_unsure_vs_all"] = agreement("end_to_end_bf16", "end_to_end_bf16_read_all")
    return report


def texts_of(paths: list[Path]) -> list[str]:
    """The answer texts motive finds in ``paths`` (what the raw encode is given)."""
    from motive.chains import pair_exchanges
    from motive.roles import find_interviewer
    from motive.transcripts import read_file

    texts = []
    for path in paths:
        transcript = read_file(path)
        texts += [e.answer.text for e in pair_exchanges(transcript.turns, find_interviewer(transcript.turns))]
    return texts


def cli_times(model_path: Path | None, repeats: int, work: Path) -> dict:
    env = child_env()
    one = generate(1, work / "one", seed=1)[0]
    model = ["--model", str(model_path)] if model_path else []
    medians = median_seconds({
        "help": [*motive_command(), "--help"],
        "import": [sys.executable, "-c", "import sentence_transformers"],
        "classify": [*motive_command(), "classify", str(one), "-q", *model, "-o", str(work / "one.jsonl")],
    }, repeats, env)
    help_s, import_s, classify_s = medians["help"], medians["import"], medians["classify"]
    return {
        "repeats": repeats,
        "motive --help s (goal <= 0.3)": help_s,
        "import sentence_transformers s": import_s,
        "motive classify one file s": classify_s,
        "classify one file / import sentence_transformers (goal <= 1.3)": classify_s / import_s,
    }


def peak_rss(model_path: Path | None, sizes: list[int], work: Path) -> dict:
    """Peak RSS (MB) of ``motive classify`` over ``size`` small transcripts, one child process per size."""
    measured = {}
    for size in sizes:
        folder = work / f"rss-{size}"
        generate(size, folder, seed=2, small=True)
        model = ["--model", str(model_path)] if model_path else []
        script = (
            "import resource, subprocess, sys; "
            f"subprocess.run({[*motive_command(), 'classify', str(folder), '-q', *model, '-o', str(work / f'rss-{size}.jsonl')]!r}, check=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, env=child_env())
        measured[size] = {"peak_rss_mb": int(out.stdout.split()[-1]) / 1024, "seconds": time.perf_counter() - started}
    return {"transcripts (4 turns each)": measured}


def training(model_name: str, work: Path, reader_interviews: int = 0) -> dict:
    """Seconds to train on train+dev: without a cache (it is filled on the way), then with the filled cache;
    with ``reader_interviews``, also :func:`reader_training` on that many of the interviews."""
    from motive.embed import CachedEmbedder, make_embedder
    from motive.segment import Segmenter
    from motive.training import read_labelled, train

    data = read_labelled([CORPUS / "train", CORPUS / "dev"])
    segmenter = Segmenter()
    segmenter.sentences(["Warm up."])
    embedder = make_embedder(model_name)
    getattr(embedder, "model", None)  # load before timing
    cached = CachedEmbedder(embedder, work / "cache")
    started = time.perf_counter()
    train(data.interviews, data.tables, embedder=cached, segmenter=segmenter)
    cold = time.perf_counter() - started
    cached.save()
    warm_cache = CachedEmbedder(embedder, work / "cache")
    started = time.perf_counter()
    train(data.interviews, data.tables, embedder=warm_cache, segmenter=segmenter)
    warm = time.perf_counter() - started
    figures = {"interviews": len(data.interviews), "without cache s": cold, "with cache s": warm, "speed-up": cold / warm}
    if reader_interviews:
        figures["reader"] = reader_training(data.interviews[:reader_interviews], warm_cache, segmenter, work)
    return figures


def reader_training(interviews: list, embedder, segmenter, work: Path) -> dict:
    """Seconds to train with a reader (one epoch) on a few interviews: its fine-tune run, then read
    from the reader cache that run filled; and whether both models' reader files are the same."""
    from motive.reader import ReaderSettings
    from motive.training import train

    seconds, files = [], []
    for _ in range(2):
        started = time.perf_counter()
        model = train(interviews, embedder=embedder, segmenter=segmenter, reader=ReaderSettings(answer_epochs=1, question_epochs=1), reader_cache=work / "readers")
        seconds.append(time.perf_counter() - started)
        folder = work / f"reader-{len(files)}"
        folder.mkdir()
        files.append([path.read_bytes() for path in model.reader.save(folder).values()])
    return {"interviews": len(interviews), "fine-tuned s": seconds[0], "from the cache s": seconds[1],
            "speed-up": seconds[0] / seconds[1], "same reader files": files[0] == files[1]}


class RememberedEmbedder:
    """An embedder that computes each text's vector once and then looks it up; the tokenizer still
    reads every text it is given, as the real embedder does before its layers."""

    def __init__(self, inner):
        self.inner, self.name, self.weights_sha256 = inner, inner.name, inner.weights_sha256
        self.vectors: dict = {}

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed(self, texts: list[str]):
        import numpy as np

        if not texts:
            return self.inner.embed([])
        new = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if new:
            self.vectors.update(zip(new, self.inner.embed(new)))
        if hasattr(self.inner, "model"):  # the hashing embedder of small test models has no tokenizer
            self.inner.model.tokenizer(texts, truncation=True, max_length=self.inner.model.max_length)
        return np.stack([self.vectors[t] for t in texts])


def remember_reader(reader) -> None:
    """Make ``reader`` compute what it says of each pair once and then look it up (its tokenizer still runs)."""
    import numpy as np

    compute, said = reader.predict, {}

    def predict(task, pairs):
        if not pairs:
            return compute(task, [])
        new = [p for p in dict.fromkeys(pairs) if (task, p) not in said]
        if new:
            said.update({(task, p): row for p, row in zip(new, compute(task, new))})
        reader.network(task).tokenize(list(pairs))
        return np.array([said[task, p] for p in pairs])

    reader.predict = predict


def time_parts(model) -> dict[str, float]:
    """Put a timer on each part of ``model``'s work that runs outside the layers; returns the
    seconds they add up, by part, as the model runs."""
    spent: dict[str, float] = {}

    def timed(part: str, function):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[part] = spent.get(part, 0.0) + time.perf_counter() - started

        return run

    segmenter = model.segmenter
    segmenter.sentences = timed("spaCy sentence splitting", segmenter.sentences)
    segmenter.noun_chunks_many = timed("spaCy parser, chain summaries", segmenter.noun_chunks_many)
    model.embedder.embed = timed("embedding model's tokenizer, and the lookup", model.embedder.embed)
    if model.reader is not None:
        model.reader.predict = timed("reader's tokenizer, and the lookup", model.reader.predict)
    return spent


def feed(model_path: Path | None, transcripts: int, slice_size: int, work: Path, device: str) -> dict:
    """Answers/s end to end against the same run with the models' layers taken away (their outputs
    remembered from an untimed first pass), slice by slice in turns."""
    from motive.model import load_model

    paths = generate(transcripts, work / "feed")
    computing = load_model(model_path, device=device)
    remembered = load_model(model_path, device=device)
    remembered.embedder = RememberedEmbedder(remembered.embedder)
    if remembered.reader is not None:
        remember_reader(remembered.reader)
    first_pass, _ = end_to_end(remembered, paths)  # every vector and reading computed once, untimed
    end_to_end(computing, paths[:1])
    parts = time_parts(remembered)
    seconds, records = {"end_to_end": 0.0, "models_remembered": 0.0}, {"end_to_end": [], "models_remembered": []}
    for number, start in enumerate(range(0, len(paths), slice_size)):
        runs = [("end_to_end", computing), ("models_remembered", remembered)][:: 1 if number % 2 == 0 else -1]
        for name, model in runs:
            took, results = end_to_end(model, paths[start : start + slice_size])
            seconds[name] += took
            records[name] += [r.to_dict() for r in results]
    answers = sum(len(r["answers"]) for r in records["end_to_end"])
    rates = {name: answers / took for name, took in seconds.items()}
    return {
        "transcripts": transcripts,
        "answers": answers,
        "device": device,
        "precision": getattr(computing.embedder, "precision", "none (hashing embedder)"),
        "first pass s (untimed in the rates)": first_pass,
        "answers_per_s": rates,
        "same results": records["end_to_end"] == records["models_remembered"],
        "models_remembered: share of the time by part": {
            **{part: took / seconds["models_remembered"] for part, took in sorted(parts.items(), key=lambda item: -item[1])},
            "the rest (reading files, roles, chains, features, classifiers, results)": 1 - sum(parts.values()) / seconds["models_remembered"],
        },
        "end_to_end / models_remembered (share of the time outside the layers)": rates["end_to_end"] / rates["models_remembered"],
    }


SECTIONS = ("throughput", "cli", "rss", "training", "feed")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections: {', '.join(SECTIONS)}")
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: models/default)")
    parser.add_argument("--transcripts", type=int, default=200, help="generated transcripts for the throughput figure")
    parser.add_argument("--slice", type=int, default=20, help="transcripts per slice; the systems take turns slice by slice")
    parser.add_argument("--rss-sizes", default="100,1000", help="comma-separated numbers of small transcripts for peak RSS")
    parser.add_argument("--repeats", type=int, default=5, help="repeats of each command timing (median reported)")
    parser.add_argument("--reader-interviews", type=int, default=24,
                        help="training: interviews a reader is fine-tuned on for one epoch, then read from its cache (0: none)")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's own choice)")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="where throughput and feed run the models")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args(argv)
    for name in ("transcripts", "slice", "repeats"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be 1 or more")
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; expected {', '.join(SECTIONS)}")

    import torch

    from motive.model import default_model_path, read_config

    if args.threads:
        torch.set_num_threads(args.threads)
    if args.model is not None:
        args.model = args.model.resolve()  # the command-line runs start in motive's folder
    from motive.errors import MotiveError

    try:
        embedding = read_config(args.model or default_model_path())["embedding"]["model"]
    except MotiveError as error:
        parser.exit(1, f"error: {error}\n")
    figures: dict = {"torch_threads": torch.get_num_threads(), "command": " ".join(["python", "scripts/bench_speed.py", *(argv or sys.argv[1:])])}
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        if "throughput" in sections:
            figures["throughput"] = throughput(args.model, args.transcripts, args.slice, work, args.device)
        if "cli" in sections:
            figures["cli"] = cli_times(args.model, args.repeats, work)
        if "rss" in sections:
            figures["rss"] = peak_rss(args.model, [int(s) for s in args.rss_sizes.split(",")], work)
        if "training" in sections:
            figures["training"] = training(embedding, work, args.reader_interviews)
        if "feed" in sections:
            figures["feed"] = feed(args.model, args.transcripts, args.slice, work, args.device)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
