"""How alike must terminal whys be to share a theme? Cluster random sets of the corpus's gold
terminal whys at several distances and measure what a reader of the themes meets.

    python scripts/theme_distance.py                              # sets of 24, 60 and 200 whys, 10 draws each
    python scripts/theme_distance.py --sizes 40 --distances 0.6,0.7,0.8 --json figures.json

For each distance: the number of themes, the share of whys in the largest theme, the share
that stands alone (a theme of one), and driver purity: the share of whys whose theme's
commonest value driver (gold annotation) is their own. Themes are finer than drivers, so a
theme should not mix them; a distance where most whys stand alone groups nothing.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="*", type=Path, default=[ROOT / "corpora" / "interviews"])
    parser.add_argument("--sizes", default="24,60,200", help="whys per set")
    parser.add_argument("--distances", default="0.5,0.55,0.6,0.65,0.7,0.75,0.8")
    parser.add_argument("--draws", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()

    whys = [(answer.evidence or answer.text, answer.driver) for interview in read_interviews(args.corpus)
            for answer in (interview.answers[t] for t in interview.terminals if t is not None)]
    print(f"{len(whys)} gold terminal whys with their value driver")
    vectors = SentenceTransformerEmbedder(precision="fp32").embed([text for text, _ in whys])
    rng = random.Random(args.seed)
    figures = []
    for size in map(int, args.sizes.split(",")):
        draws = [rng.sample(range(len(whys)), size) for _ in range(args.draws)]
        print(f"sets of {size} whys, {args.draws} draws (means): distance, themes, largest theme, alone, driver purity")
        for distance in map(float, args.distances.split(",")):
            runs = [measure(vectors[draw], [whys[i][1] for i in draw], distance) for draw in draws]
            mean = {key: float(np.mean([run[key] for run in runs])) for key in runs[0]}
            figures.append({"size": size, "distance": distance, **mean})
            print(f"  {distance:<5} {mean['themes']:6.1f} {mean['largest']:6.2f} {mean['alone']:6.2f} {mean['driver_purity']:6.2f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
