"""How alike must terminal whys be to share a theme? Two measures, at several distances.

    python scripts/theme_distance.py                              # both, with the defaults below
    python scripts/theme_distance.py --sizes 40 --distances 0.6,0.7,0.8 --json figures.json

1. One study (``--study``, default ``corpora/themes``): 20 interviews about one product whose
   terminal whys were given their intended theme before motive ran (``themes.csv``: the file,
   how the answer starts, the theme). The whys are clustered and compared with the intended
   themes by the adjusted Rand index (1: the same grouping; 0: no better than chance).
2. Many situations: random sets of the corpus's gold terminal whys (24, 60 and 200 of them).
   No corpus labels themes, so they are measured by what it does label: driver purity, the
   share of whys whose theme's commonest value driver (gold annotation) is their own. Themes
   are finer than drivers, so a theme should not mix them. Also: the number of themes, the
   share of whys in the largest theme, and the share that stands alone (a theme of one).
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np

from motive.corpus import read_interviews
from motive.embed import SentenceTransformerEmbedder
from motive.themes import cluster

ROOT = Path(__file__).resolve().parent.parent


def measure(vectors: np.ndarray, drivers: list[str], distance: float) -> dict[str, float]:
    """Themes of one set of whys at ``distance``, measured."""
    labels = cluster(vectors, distance)
    sizes = Counter(labels)
    pure = sum(Counter(d for d, label in zip(drivers, labels) if label == theme).most_common(1)[0][1] for theme in sizes)
    return {
        "themes": len(sizes),
        "largest": max(sizes.values()) / len(labels),
        "alone": sum(size == 1 for size in sizes.values()) / len(labels),
        "driver_purity": pure / len(labels),
    }


def study(folder: Path, embedder, distances: list[float]) -> list[dict]:
    """The intended themes of ``folder``'s terminal whys against motive's clustering of their whole answers."""
    import csv

    from sklearn.metrics import adjusted_rand_score

    from motive.transcripts import read_file

    texts, themes = [], []
    with open(folder / "themes.csv", newline="", encoding="utf-8") as table:
        for row in csv.DictReader(table):
            turns = read_file(folder / row["file"]).turns
            texts.append(next(turn.text for turn in turns if turn.text.startswith(row["terminal_why_starts"])))
            themes.append(row["theme"])
    vectors = embedder.embed(texts)
    print(f"{folder}: {len(texts)} terminal whys, {len(set(themes))} intended themes; distance, themes, alone, adjusted Rand index")
    figures = []
    for distance in distances:
        labels = cluster(vectors, distance)
        sizes = Counter(labels)
        figure = {"distance": distance, "themes": len(sizes), "alone": sum(size == 1 for size in sizes.values()),
                  "adjusted_rand": float(adjusted_rand_score(themes, labels))}
        figures.append(figure)
        print(f"  {distance:<5} {figure['themes']:6d} {figure['alone']:6d} {figure['adjusted_rand']:6.2f}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="*", type=Path, default=[ROOT / "corpora" / "interviews"])
    parser.add_argument("--sizes", default="24,60,200", help="whys per set")
    parser.add_argument("--distances", default="0.6,0.65,0.7,0.75,0.8,0.85")
    parser.add_argument("--draws", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--study", type=Path, default=ROOT / "corpora" / "themes", help="a folder with themes.csv")
    parser.add_argument("--texts", choices=("answer", "evidence"), default="answer",
                        help="cluster each terminal why's whole answer (as motive does) or only its evidence sentence")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()

    embedder = SentenceTransformerEmbedder(precision="fp32")
    distances = [float(d) for d in args.distances.split(",")]
    studied = study(args.study, embedder, distances)

    whys = [(answer.text if args.texts == "answer" else answer.evidence or answer.text, answer.driver)
            for interview in read_interviews(args.corpus) for answer in (interview.answers[t] for t in interview.terminals if t is not None)]
    print(f"{len(whys)} gold terminal whys ({args.texts}s) with their value driver")
    vectors = embedder.embed([text for text, _ in whys])
    rng = random.Random(args.seed)
    figures = []
    for size in map(int, args.sizes.split(",")):
        draws = [rng.sample(range(len(whys)), size) for _ in range(args.draws)]
        print(f"sets of {size} whys, {args.draws} draws (means): distance, themes, largest theme, alone, driver purity")
        for distance in distances:
            runs = [measure(vectors[draw], [whys[i][1] for i in draw], distance) for draw in draws]
            mean = {key: float(np.mean([run[key] for run in runs])) for key in runs[0]}
            figures.append({"size": size, "distance": distance, **mean})
            print(f"  {distance:<5} {mean['themes']:6.1f} {mean['largest']:6.2f} {mean['alone']:6.2f} {mean['driver_purity']:6.2f}")
    if args.json:
        args.json.write_text(json.dumps({"study": studied, "sets": figures}, indent=1) + "\n")


if __name__ == "__main__":
    main()
