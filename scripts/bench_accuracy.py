"""How good are motive's labels, against baselines trained on the same data in the same run?

    python scripts/bench_accuracy.py                           # the corpus test split
    python scripts/bench_accuracy.py path/to/labelled/folder   # or any labelled interviews
    python scripts/bench_accuracy.py --cache .cache/embeddings # reuse training embeddings (same vectors, faster)

Systems, all scored on the same held-out interviews:

- ``motive fp32`` and ``motive bf16``: the model (``--model``, default
  models/default) run end to end with the embedding model in fp32 and in
  bfloat16 (the reader too, when the model has one); their label agreement says
  whether the fast path changes labels;
- ``motive fp32, no reader``: the same model without its reader (``--no-reader``);
- ``motive fp32, reader reads all``: when the reader reads only where the
  classifiers are unsure, the same model with the reader reading everything;
- ``embeddings, no context``: the same kind of classifier (calibrated logistic
  regression over sentence embeddings) trained on the training split's answer
  texts alone, without question, previous answer or chain position;
- ``tfidf + logistic regression`` and ``keyword rules`` (motive/baselines.py).

Figures: macro-F1 output vs outcome, 3-way macro-F1, and for motive also
terminal-why accuracy and chain-boundary F1; overall and per register, each
with a 95% bootstrap interval over interviews (resampled with replacement).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from motive.baselines import KeywordRules, tfidf_baseline
from motive.corpus import LABELS
from motive.evaluation import boundary_scores, label_scores, terminal_hits
from motive.features import AnswerContext

ROOT = Path(__file__).resolve().parent.parent
SPLITS = ROOT / "corpora" / "interviews"


@dataclass
class Scored:
    """One interview's gold labels and, per system, its predictions."""

    register: str
    gold: list[str]
    predicted: dict[str, list[str]] = field(default_factory=dict)
    terminals: dict[str, list[bool]] = field(default_factory=dict)
    starts: dict[str, tuple[set, set]] = field(default_factory=dict)  # system → (gold starts, predicted starts)


def run_motive(model, interviews, name: str, scored: list[Scored]) -> None:
    """Classify the interviews end to end and record labels, terminal hits and chain starts."""
    from motive.pipeline import annotate

    results = annotate([i.unlabelled_transcript for i in interviews], model)
    for interview, result, record in zip(interviews, results, scored):
        by_line = {a.line: a.label for a in result.answers}
        record.predicted[name] = [by_line.get(a.line, "none") for a in interview.answers]
        record.terminals[name] = terminal_hits(interview, result)
        gold_starts = {interview.answers[m[0]].line for m in interview.chains if m}
        predicted_starts = {result.answers[c.answers[0]].line for c in result.chains if c.answers}
        record.starts[name] = (gold_starts, predicted_starts)


def no_context_classifier(embedder, segmenter, train_texts: list[str], train_labels: list[str]):
    """Calibrated logistic regression over the answer's own sentence embeddings (no context); returns predict(texts)."""
    from motive.model import EmbeddingCache
    from motive.training import TrainingSettings, _answer_estimator

    vectors = EmbeddingCache(embedder)

    def matrix(texts: list[str]) -> np.ndarray:
        from motive.features import answer_features

        contexts = [AnswerContext(t, tuple(s)) for t, s in zip(texts, segmenter.sentences(texts))]
        vectors.add([p for c in contexts for p in c.parts])
        return np.stack([answer_features(c, vectors, embedder.dimension) for c in contexts])

    estimator = _answer_estimator(TrainingSettings()).fit(matrix(train_texts), train_labels)
    return lambda texts: [str(p) for p in estimator.predict(matrix(texts))]


def macro_f1(gold: np.ndarray, predicted: np.ndarray, labels: tuple[str, ...]) -> float:
    """Mean F1 over those of ``labels`` that occur in ``gold`` or ``predicted``, as
    :func:`motive.evaluation.label_scores` averages (a resample may lack a label)."""
    scores = []
    for label in labels:
        if not np.any(gold == label) and not np.any(predicted == label):
            continue
        tp = np.sum((gold == label) & (predicted == label))
        wrong = np.sum((gold != label) & (predicted == label)) + np.sum((gold == label) & (predicted != label))
        scores.append(2 * tp / (2 * tp + wrong))
    return float(np.mean(scores)) if scores else float("nan")


def figures(records: list[Scored], system: str) -> dict:
    """Macro-F1 (output vs outcome, 3-way; as :func:`motive.evaluation.label_scores` defines them), and
    terminal accuracy and boundary F1 where the system has them."""
    gold = np.asarray([g for r in records for g in r.gold])
    predicted = np.asarray([p for r in records for p in r.predicted[system]])
    two = np.isin(gold, ("output", "outcome"))
    out = {
        "macro_f1_output_outcome": macro_f1(gold[two], predicted[two], ("output", "outcome")),
        "macro_f1_3way": macro_f1(gold, predicted, LABELS),
    }
    if all(system in r.terminals for r in records):
        hits = [h for r in records for h in r.terminals[system]]
        out["terminal_accuracy"] = float(np.mean(hits)) if hits else float("nan")
        gold_starts = {(n, s) for n, r in enumerate(records) for s in r.starts[system][0]}
        found = {(n, s) for n, r in enumerate(records) for s in r.starts[system][1]}
        out["chain_boundary_f1"] = boundary_scores(gold_starts, found)["f1"]
    return out


#: Fewer interviews than this give no interval: one interview resamples to itself, two to three samples.
MIN_RESAMPLED = 3


def bootstrap(records: list[Scored], system: str, *, rounds: int, seed: int) -> dict:
    """Each figure with a 95% interval from resampling interviews with replacement (``low`` and
    ``high`` are ``None`` for fewer than :data:`MIN_RESAMPLED` interviews)."""
    rng = np.random.default_rng(seed)
    point = figures(records, system)
    if len(records) < MIN_RESAMPLED:
        return {k: {"value": round(v, 4), "low": None, "high": None} for k, v in point.items()}
    samples: dict[str, list[float]] = {k: [] for k in point}
    for _ in range(rounds):
        resampled = [records[i] for i in rng.integers(0, len(records), len(records))]
        for key, value in figures(resampled, system).items():
            samples[key].append(value)
    return {k: {"value": round(point[k], 4), "low": round(float(np.nanpercentile(v, 2.5)), 4), "high": round(float(np.nanpercentile(v, 97.5)), 4)}
            for k, v in samples.items()}


def agreement(records: list[Scored], a: str, b: str) -> float:
    pairs = [(x, y) for r in records for x, y in zip(r.predicted[a], r.predicted[b])]
    return sum(x == y for x, y in pairs) / max(len(pairs), 1)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, default=[SPLITS / "test"], help="labelled interviews to score (default: the test split)")
    parser.add_argument("--train", nargs="+", type=Path, default=[SPLITS / "train", SPLITS / "dev"], help="what the baselines train on")
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: models/default)")
    parser.add_argument("--cache", type=Path, default=None, help="embedding cache folder for the no-context baseline's training texts")
    parser.add_argument("--rounds", type=int, default=1000, help="bootstrap rounds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args(argv)

    from motive.embed import CachedEmbedder, HashingEmbedder
    from motive.errors import MotiveError
    from motive.model import default_model_path, load_model
    from motive.training import read_labelled

    if args.rounds < 1:
        parser.error("--rounds must be 1 or more")
    try:
        scored_data, training_data = read_labelled(args.paths), read_labelled(args.train)
    except MotiveError as error:
        parser.exit(1, f"error: {error}\n")
    held_out, training = scored_data.interviews, training_data.interviews
    if not held_out:
        parser.exit(1, f"error: no labelled interviews in {', '.join(map(str, args.paths))}: this benchmark scores interviews in "
                       "motive's corpus format end to end (corpora/FORMAT.md); 'motive evaluate' scores text,label tables too\n")
    if scored_data.tables:
        print(f"note: {len(scored_data.tables)} answers of text,label tables left out: they have no interview to classify end to end "
              "('motive evaluate' scores them without context)")
    train_texts = [a.text for i in training for a in i.answers]
    train_labels = [a.label for i in training for a in i.answers]
    if (few := [label for label in LABELS if train_labels.count(label) < 5]):
        parser.exit(1, f"error: the baselines' training data ({', '.join(map(str, args.train))}) has fewer than 5 answers "
                       f"labelled {', '.join(few)}: the no-context baseline needs 5 of each label\n")
    overlap = sorted({i.id for i in held_out} & {i.id for i in training})
    test_texts = [a.text for i in held_out for a in i.answers]
    records = [Scored(str(i.transcript.metadata.get("register", "no register")), [a.label for a in i.answers]) for i in held_out]

    systems = []
    fp32 = load_model(args.model, precision="fp32", device="cpu")
    precisions = ["fp32"] if isinstance(fp32.embedder, HashingEmbedder) else ["fp32", "bf16"]
    for precision in precisions:
        model = fp32 if precision == "fp32" else load_model(args.model, precision=precision, device="cpu")
        run_motive(model, held_out, f"motive {precision}", records)
        systems.append(f"motive {precision}")
    if fp32.reader is not None:  # the same model without its reader (--no-reader)
        run_motive(load_model(args.model, precision="fp32", device="cpu", reader=False), held_out, "motive fp32, no reader", records)
        systems.append("motive fp32, no reader")
        if fp32.reader.read_below < 1:
            run_motive(load_model(args.model, precision="fp32", device="cpu", read_below=1.0), held_out, "motive fp32, reader reads all", records)
            systems.append("motive fp32, reader reads all")

    embedder = CachedEmbedder(fp32.embedder, args.cache) if args.cache else fp32.embedder
    baselines = {
        "embeddings, no context": no_context_classifier(embedder, fp32.segmenter, train_texts, train_labels),
        "tfidf + logistic regression": lambda texts, m=tfidf_baseline().fit(train_texts, train_labels): [str(p) for p in m.predict(texts)],
        "keyword rules": lambda texts: [str(p) for p in KeywordRules().predict(texts)],
    }
    for name, predict in baselines.items():
        labels = iter(predict(test_texts))
        for record in records:
            record.predicted[name] = [next(labels) for _ in record.gold]
        systems.append(name)

    registers = sorted({r.register for r in records})
    report: dict = {
        "data": [_shown(p) for p in args.paths],
        "model": _shown(args.model or default_model_path()),
        "baselines_trained_on": [_shown(p) for p in args.train],
        "scored_interviews_in_baseline_training": overlap,
        "interviews": len(records),
        "answers": sum(len(r.gold) for r in records),
        "bootstrap_rounds": args.rounds,
        "systems": {},
    }
    if "motive bf16" in systems:
        report["label_agreement_fp32_vs_bf16"] = round(agreement(records, "motive fp32", "motive bf16"), 4)
    for system in systems:  # the fast macro-F1 above must agree with motive.evaluate's
        gold = [g for r in records for g in r.gold]
        reference = label_scores(gold, [p for r in records for p in r.predicted[system]])
        assert abs(reference["macro_f1_3way"] - figures(records, system)["macro_f1_3way"]) < 1e-3, system
        entry = {"all": bootstrap(records, system, rounds=args.rounds, seed=args.seed)}
        for register in registers:
            subset = [r for r in records if r.register == register]
            entry[f"{register} ({len(subset)})"] = bootstrap(subset, system, rounds=args.rounds, seed=args.seed)
        report["systems"][system] = entry
    print_table(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def _shown(path: Path) -> str:
    path = Path(path).resolve()
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def print_table(report: dict) -> None:
    """Markdown tables: one row per system (and register), value [low, high]."""
    keys = ("macro_f1_output_outcome", "macro_f1_3way", "terminal_accuracy", "chain_boundary_f1")
    print(f"{report['interviews']} interviews, {report['answers']} answers ({', '.join(report['data'])}); "
          f"95% bootstrap intervals over interviews, {report['bootstrap_rounds']} rounds (none for fewer than {MIN_RESAMPLED} interviews)")
    print(f"model: {report['model']}; baselines trained in this run on: {', '.join(report['baselines_trained_on'])}")
    if overlap := report["scored_interviews_in_baseline_training"]:
        print(f"warning: {len(overlap)} of the scored interviews are also in the baselines' training data "
              f"({', '.join(overlap[:5])}{', …' if len(overlap) > 5 else ''}), and models/default learnt from the same "
              "train and dev splits: figures on them are not held-out figures")
    if "label_agreement_fp32_vs_bf16" in report:
        print(f"answer-label agreement, motive bf16 vs fp32: {report['label_agreement_fp32_vs_bf16']:.4f} "
              "(terminal whys and chain starts are compared in the table)")
    print()
    print("| system | subset | macro-F1 output vs outcome | macro-F1 3-way | terminal-why accuracy | chain-boundary F1 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for system, entry in report["systems"].items():
        for subset, scores in entry.items():
            cells = ["–" if k not in scores else f"{scores[k]['value']:.3f}" if scores[k]["low"] is None
                     else f"{scores[k]['value']:.3f} [{scores[k]['low']:.3f}, {scores[k]['high']:.3f}]" for k in keys]
            print(f"| {system} | {subset} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
