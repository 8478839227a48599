"""Where does a model's labelling go wrong? Its labels for a labelled split, by place in the why
chain and, for the outcome answers, by value driver.

    python scripts/label_errors.py                                   # models/default on the test split
    python scripts/label_errors.py --model models/dev --split corpora/interviews/dev

The model runs end to end (roles, chains, labels), as ``motive evaluate`` runs it. Each gold
answer is then counted under its place in its gold chain (outside any chain, the chain's
first answer, between it and the terminal why, the terminal why itself, after it, or in a
chain that never reaches an outcome) and, if it is an outcome, under the value driver the
corpus tags it with (see corpora/GUIDELINES.md). Both tables give how many answers the model
labels as gold and which wrong labels it gives.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = (
    "outside any chain",
    "first answer of a chain",
    "before the terminal why",
    "the terminal why",
    "after the terminal why",
    "in a chain without an outcome",
)


def place_in_chain(index: int, chains, terminals) -> str:
    """Where gold answer ``index`` stands in its interview's gold chains (one of :data:`PLACES`).

    >>> place_in_chain(2, [[1, 2, 3]], [3]), place_in_chain(0, [[1, 2, 3]], [3])
    ('before the terminal why', 'outside any chain')
    """
    for members, terminal in zip(chains, terminals):
        if index in members:
            if terminal is None:
                return "in a chain without an outcome"
            if index == terminal:
                return "the terminal why"
            if index > terminal:
                return "after the terminal why"
            return "first answer of a chain" if index == members[0] else "before the terminal why"
    return "outside any chain"


def tally(interviews, results) -> dict[str, dict[str, Counter]]:
    """``place`` and ``driver`` → group → counts of (gold label, given label) pairs."""
    tables: dict[str, dict[str, Counter]] = {"place": defaultdict(Counter), "driver": defaultdict(Counter)}
    for interview, result in zip(interviews, results):
        given = {answer.line: answer.label for answer in result.answers}
        for index, answer in enumerate(interview.answers):
            pair = (answer.label, given.get(answer.line, "none"))
            tables["place"][place_in_chain(index, interview.chains, interview.terminals)][pair] += 1
            if answer.label == "outcome":
                tables["driver"][answer.driver or "(no driver)"][pair] += 1
                tables["driver"]["all outcomes"][pair] += 1
    return {name: dict(groups) for name, groups in tables.items()}


def print_table(title: str, groups: dict[str, Counter], order) -> None:
    print(f"| {title} | answers | labelled as gold | wrong labels (gold → given) |")
    print("| --- | ---: | ---: | --- |")
    for group in order:
        pairs = groups[group]
        n = sum(pairs.values())
        right = sum(count for (gold, given), count in pairs.items() if gold == given)
        wrong = ", ".join(f"{gold} → {given} {count}" for (gold, given), count in pairs.most_common() if gold != given)
        print(f"| {group} | {n} | {right / n:.2f} | {wrong or '–'} |")
    print()


def main(argv: list[str] | None = None) -> dict[str, dict[str, Counter]]:
    from motive.model import load_model
    from motive.pipeline import annotate
    from motive.training import read_labelled

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: models/default)")
    parser.add_argument("--split", type=Path, default=ROOT / "corpora" / "interviews" / "test", help="labelled interviews (default: the test split)")
    parser.add_argument("--precision", default="auto", choices=("auto", "fp32", "bf16"))
    args = parser.parse_args(argv)

    model = load_model(args.model, device="cpu", precision=args.precision)
    interviews = read_labelled([args.split]).interviews
    tables = tally(interviews, annotate([i.unlabelled_transcript for i in interviews], model))
    print(f"{args.split}, labelled by {args.model or 'models/default'}\n")
    print_table("place in the gold chain", tables["place"], [p for p in PLACES if p in tables["place"]])
    drivers = tables["driver"]
    print_table("outcome answers, by value driver", drivers, sorted(drivers, key=lambda d: (d == "all outcomes", d)))
    return tables


if __name__ == "__main__":
    main()
