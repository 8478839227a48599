"""Train motive's default model from the corpus and report its figures.

    python scripts/train_default.py          # train on train+dev, score on test, write models/default
    python scripts/train_default.py --dev    # train on train, score on dev (for choosing settings); writes nothing
    python scripts/train_default.py --dev --output models/dev   # the same, and keeps that model
    python scripts/train_default.py --rescore  # score models/default again on test after a change in how it reads

The default model has a reader (MiniLM fine-tuned on the interviews, see
motive/reader.py): about an hour on two cores, or under a minute when the reader's cache
(below) holds its fine-tune. ``--no-reader`` trains the linear classifiers alone, in under a minute. Training runs in one thread, so that the same data
and versions give the same model files on any machine.

The same run trains and scores two baselines on the same split: TF-IDF +
logistic regression, and keyword rules. Embeddings and the reader's fine-tuned
weights are cached in ``.cache/`` (``--no-cache`` to skip), which changes no
figure and no model file: the vectors and weights are the same. A change to the
linear classifiers alone retrains in minutes; the reader is fine-tuned again
when its examples, its settings, MiniLM, torch or transformers change.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from motive.baselines import KeywordRules, tfidf_baseline
from motive.embed import CachedEmbedder, SentenceTransformerEmbedder
from motive.evaluation import evaluate, format_report, label_scores
from motive.model import BASELINES_FILE
from motive.reader import READ_BELOW, ReaderSettings
from motive.segment import SPLITTERS, Segmenter
from motive.tags import evaluate_tags, tag_baselines
from motive.training import TrainingSettings, build_model, read_labelled, rescore_model, train

ROOT = Path(__file__).resolve().parent.parent
SPLITS = Path("corpora/interviews")  # relative to ROOT, so the model card names no machine's paths
OUTPUT = Path("models/default")


def baselines(train_paths: list[Path], test_paths: list[Path]) -> dict:
    training, held_out = read_labelled(train_paths), read_labelled(test_paths)
    texts = [a.text for i in training.interviews for a in i.answers]
    labels = [a.label for i in training.interviews for a in i.answers]
    gold = [a.label for i in held_out.interviews for a in i.answers]
    test_texts = [a.text for i in held_out.interviews for a in i.answers]
    return {
        "tfidf_logistic_regression": label_scores(gold, tfidf_baseline().fit(texts, labels).predict(test_texts)),
        "keyword_rules": label_scores(gold, KeywordRules().predict(test_texts)),
        "tags": tag_baselines(training.interviews, held_out.interviews),
    }


def one_thread() -> None:
    """Train in one thread: the order of a sum, and so the last bits of a fitted weight, depend on
    how many threads share it, and the model file must be the same on any machine."""
    import torch
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)
    torch.set_num_threads(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dev", action="store_true", help="train on train, score on dev; write nothing unless --output is given")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--C", type=float, default=TrainingSettings.C)
    parser.add_argument("--question-C", type=float, default=TrainingSettings.question_C, help="the question classifier's (default: %(default)s)")
    parser.add_argument("--splitter", choices=SPLITTERS, default=SPLITTERS[0], help="what finds sentence ends (default: %(default)s)")
    parser.add_argument("--output", type=Path, help=f"where the model goes (default: {OUTPUT}; with --dev, nowhere)")
    parser.add_argument("--no-reader", action="store_true", help="the linear classifiers alone, without fine-tuning MiniLM")
    parser.add_argument("--rescore", action="store_true",
                        help="train nothing: score the model in --output again on test (dev with --dev), its reader reading where the classifiers are "
                             f"less sure than {READ_BELOW}, and rewrite its config and card (its trained files stay the same)")
    args = parser.parse_args()
    if args.output is None and not args.dev:
        args.output = OUTPUT
    if args.rescore and args.output is None:
        parser.error("--rescore --dev needs the --output of a model trained with --dev")
    os.chdir(ROOT)
    one_thread()
    train_paths = [SPLITS / "train"] if args.dev else [SPLITS / "train", SPLITS / "dev"]
    test_paths = [SPLITS / "dev"] if args.dev else [SPLITS / "test"]
    if args.rescore:
        _, report = rescore_model(args.output, train_paths, test_paths, read_below=READ_BELOW)
        print(format_report(report))
        return
    embedder = SentenceTransformerEmbedder()
    cached = embedder if args.no_cache else CachedEmbedder(embedder, Path(".cache/embeddings"))
    settings = TrainingSettings(C=args.C, question_C=args.question_C)
    reader = None if args.no_reader else ReaderSettings()
    reader_cache = None if args.no_cache else Path(".cache/readers")
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done % 100 == 0 or done == total:
            print(f"fine-tuning the reader: batch {done} of {total}, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    if args.dev and args.output is None:
        data = read_labelled(train_paths)
        model = train(data.interviews, data.tables, embedder=cached, segmenter=Segmenter(splitter=args.splitter), settings=settings, reader=reader,
                      reader_cache=reader_cache, progress=progress)
        report = evaluate(model, read_labelled(test_paths).interviews)
    else:
        model, report = build_model(
            train_paths, args.output, embedder=cached, segmenter=Segmenter(splitter=args.splitter), eval_paths=test_paths, settings=settings, reader=reader,
            reader_cache=reader_cache, progress=progress,
        )
    seconds = time.perf_counter() - started
    if isinstance(cached, CachedEmbedder):
        cached.save()
    others = baselines(train_paths, test_paths)
    if model.reader is not None:  # the same model without its reader (motive classify --no-reader), on the same split
        linear = evaluate(replace(model, reader=None), read_labelled(test_paths).interviews)
        others["without_reader"] = {key: linear[key] for key in ("labels", "terminal_accuracy", "chain_boundaries")}
    print(format_report(report))
    print(f"\n(trained and scored in {seconds:.0f} s)\n\nBaselines on the same split:")
    for name, scores in others.items():
        if name == "without_reader":
            labels = scores["labels"]
            print(f"  {'motive without its reader':<28} macro-F1 output vs outcome {labels['macro_f1_output_outcome']:.3f}   "
                  f"3-way {labels['macro_f1_3way']:.3f}   terminal why {scores['terminal_accuracy']:.3f}   "
                  f"chain boundaries {scores['chain_boundaries']['f1']:.3f}")
        elif name != "tags":
            print(f"  {name:<28} macro-F1 output vs outcome {scores['macro_f1_output_outcome']:.3f}   3-way {scores['macro_f1_3way']:.3f}")
    tags = evaluate_tags(model, read_labelled(test_paths).interviews)
    print("\nValue driver and discipline of the gold outcome answers (macro-F1):")
    for name, scores in tags.items():
        line = "   ".join(f"{b} {s['macro_f1']:.3f}" for b, s in others["tags"][name].items())
        print(f"  {name:<12} motive {scores['macro_f1']:.3f} (accuracy {scores['accuracy']:.3f}, {scores['answers']} answers)   {line}")
    if args.output is not None:
        (args.output / BASELINES_FILE).write_text(json.dumps(others, indent=2) + "\n")


if __name__ == "__main__":
    main()
