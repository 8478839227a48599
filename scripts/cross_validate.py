"""How much does a figure move from one held-out split to another? Cross-validation by interview.

    python scripts/cross_validate.py                       # train+dev, 7 folds of about 52 interviews
    python scripts/cross_validate.py --folds 5 --seed 1 my/labelled
    python scripts/cross_validate.py --by-folder           # also the train and the dev interviews of each fold apart
    python scripts/cross_validate.py --C 0.5               # another setting of the answer classifier, on the same folds

The interviews of the given folders are shuffled (``--seed``) and cut into ``--folds``
parts; each part is scored by the linear classifiers (motive without its reader) trained
on the others. The spread of the folds says how far a split of that size moves the four
figures by chance alone: the yardstick for a gap between the dev and the test split, or
for a change that moves a figure by a point. The reader is left out because it takes
about an hour per fold on a CPU. ``--by-folder`` also scores, in each fold, the interviews
of each given folder apart: whether one split's interviews are easier than another's, when
every interview is scored by a model that did not learn from it. Embeddings are cached in
``.cache/`` as by ``train_default.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
from pathlib import Path

from motive.embed import CachedEmbedder, SentenceTransformerEmbedder
from motive.evaluation import evaluate, headline_figures
from motive.segment import Segmenter
from motive.training import TrainingSettings, read_labelled, train

ROOT = Path(__file__).resolve().parent.parent


def folds(items: list, count: int, seed: int) -> list[list]:
    """``items`` shuffled by ``seed`` and cut into ``count`` parts whose sizes differ by one at most.

    >>> folds(list(range(7)), 3, seed=0)
    [[4, 0, 6], [2, 5], [1, 3]]
    """
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    return [shuffled[i::count] for i in range(count)]


def summary(rows: list[dict]) -> dict:
    """Mean, standard deviation, lowest and highest of each figure over the folds (``rows``: one
    :func:`~motive.evaluation.headline_figures` per fold)."""
    return {
        name: {
            "mean": round(statistics.mean(r[name] for r in rows), 3),
            "sd": round(statistics.stdev(r[name] for r in rows), 3) if len(rows) > 1 else 0.0,
            "min": round(min(r[name] for r in rows), 3),
            "max": round(max(r[name] for r in rows), 3),
        }
        for name in rows[0]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("corpora/interviews/train"), Path("corpora/interviews/dev")])
    parser.add_argument("--folds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--by-folder", action="store_true", help="also score each folder's interviews of a fold apart")
    parser.add_argument("--C", type=float, default=TrainingSettings.C, help="the answer classifier's inverse regularisation (default: %(default)s)")
    parser.add_argument("--question-C", type=float, default=TrainingSettings.question_C, help="the question classifier's (default: %(default)s)")
    parser.add_argument("--terminal-C", type=float, default=TrainingSettings.terminal_C, help="the terminal-why classifier's (default: %(default)s)")
    args = parser.parse_args()
    os.chdir(ROOT)

    by_folder = {path: read_labelled([path]).interviews for path in args.paths}
    interviews = [interview for folder in by_folder.values() for interview in folder]
    folder_of = {interview.id: path for path, folder in by_folder.items() for interview in folder}
    embedder = CachedEmbedder(SentenceTransformerEmbedder(), Path(".cache/embeddings"))
    segmenter = Segmenter()
    settings = TrainingSettings(C=args.C, question_C=args.question_C, terminal_C=args.terminal_C)
    rows = []
    parts = folds(interviews, args.folds, args.seed)
    for index, held_out in enumerate(parts):
        rest = [interview for other, part in enumerate(parts) if other != index for interview in part]
        model = train(rest, embedder=embedder, segmenter=segmenter, settings=settings)
        rows.append(headline_figures(evaluate(model, held_out)))
        print(json.dumps({"fold": index, "interviews": len(held_out), **rows[-1]}), flush=True)
        if args.by_folder:
            for path in by_folder:
                mine = [interview for interview in held_out if folder_of[interview.id] == path]
                if mine:
                    print(json.dumps({"fold": index, "folder": str(path), "interviews": len(mine), **headline_figures(evaluate(model, mine))}), flush=True)
    embedder.save()
    print(json.dumps({"folds": len(rows), **summary(rows)}))


if __name__ == "__main__":
    main()
