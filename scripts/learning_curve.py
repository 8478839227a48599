"""Would more labelled interviews help? Train on parts of the train split, score on dev.

    python scripts/learning_curve.py                          # 25%, 50%, 75% (two draws each) and 100%
    python scripts/learning_curve.py --train my/train --eval my/dev --fractions 0.5,1

Each part is a random draw of whole interviews. A curve still rising at 100%
says more interviews like these would raise the figures; a flat one says they
would not. Embeddings are cached in ``.cache/`` as by ``train_default.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from pathlib import Path

from motive.embed import CachedEmbedder, SentenceTransformerEmbedder
from motive.evaluation import evaluate, headline_figures
from motive.segment import Segmenter
from motive.training import read_labelled, train

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=Path, default=Path("corpora/interviews/train"))
    parser.add_argument("--eval", type=Path, default=Path("corpora/interviews/dev"))
    parser.add_argument("--fractions", default="0.25,0.5,0.75,1")
    parser.add_argument("--draws", type=int, default=2, help="random draws for each fraction below 1 (default: %(default)s)")
    args = parser.parse_args()
    os.chdir(ROOT)

    interviews = read_labelled([args.train]).interviews
    held_out = read_labelled([args.eval]).interviews
    embedder = CachedEmbedder(SentenceTransformerEmbedder(), Path(".cache/embeddings"))
    segmenter = Segmenter()
    rows = []
    for fraction in map(float, args.fractions.split(",")):
        for draw in range(args.draws if fraction < 1 else 1):
            part = random.Random(draw).sample(interviews, int(len(interviews) * fraction))
            model = train(part, embedder=embedder, segmenter=segmenter)
            row = {"fraction": fraction, "draw": draw, "interviews": len(part), **headline_figures(evaluate(model, held_out))}
            print(json.dumps(row), flush=True)
            rows.append(row)
    embedder.save()


if __name__ == "__main__":
    main()
