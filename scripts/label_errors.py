"""Where does a model's labelling go wrong? Its labels for a labelled split, by place in the why
chain and, for the outcome answers, by value driver.

    python scripts/label_errors.py                                   # models/default on the test split
    python scripts/label_errors.py --model models/dev --split corpora/interviews/dev
    python scripts/label_errors.py --show                            # and each missed chain, answer by answer

The model runs end to end (roles, chains, labels), as ``motive evaluate`` runs it. Each gold
answer is then counted under its place in its gold chain (outside any chain, the chain's
first answer, between it and the terminal why, the terminal why itself, after it, or in a
chain that never reaches an outcome) and, if it is an outcome, under the value driver the
corpus tags it with (see corpora/GUIDELINES.md). Both tables give how many answers the model
labels as gold and which wrong labels it gives. Last, the gold chains whose terminal why is
missed, by why: the chain drawn with other bounds, the terminal why given another label, an
outcome found in a chain that reaches none, or another outcome of the chain picked.
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


#: Why a gold chain's terminal why was missed, checked in this order (:func:`terminal_miss`).
MISSES = (
    "the chain starts or ends elsewhere",
    "the gold terminal why is not labelled outcome",
    "an outcome is found where the gold chain reaches none",
    "another outcome of the right chain is picked",
)


def terminal_miss(members: list[int], terminal: int | None, lines: list[int], result) -> str | None:
    """Why the gold chain ``members`` (answer indices, ``lines`` their transcript lines) with its
    gold ``terminal`` is missed in ``result`` (one of :data:`MISSES`), or None when it is not.

    A hit is :func:`motive.evaluation.terminal_hit`'s, as ``motive evaluate`` counts it."""
    from motive.evaluation import terminal_hit

    chain_lines = {lines[i] for i in members}
    if terminal_hit(chain_lines, lines[terminal] if terminal is not None else None, result):
        return None
    by_line = {answer.line: answer for answer in result.answers}
    chains_there = {by_line[line].chain for line in chain_lines if line in by_line}
    same_chain = len(chains_there) == 1 and None not in chains_there and {
        answer.line for answer in result.answers if answer.chain in chains_there} == chain_lines
    if not same_chain:
        return MISSES[0]
    if terminal is None:
        return MISSES[2]
    if by_line[lines[terminal]].label != "outcome":
        return MISSES[1]
    return MISSES[3]


def tally_misses(interviews, results) -> Counter:
    """How many gold chains' terminal whys are missed, by why (:data:`MISSES`), and ``chains``: how many there are."""
    misses: Counter = Counter()
    for interview, result in zip(interviews, results):
        lines = [answer.line for answer in interview.answers]
        for members, terminal in zip(interview.chains, interview.terminals):
            misses["chains"] += 1
            if (why := terminal_miss(members, terminal, lines, result)) is not None:
                misses[why] += 1
    return misses


def chain_lines(interview, members: list[int], terminal: int | None, result, width: int = 100) -> list[str]:
    """The gold chain ``members`` of ``interview`` as ``result`` reads it, one line per question
    and one per answer: ``G`` marks the gold terminal why, ``P`` the terminal why given (of the
    chain the answer is given to), then the gold and the given label.
    """
    at_line = {answer.line: k for k, answer in enumerate(result.answers)}
    given_terminals = {chain.terminal for chain in result.chains if chain.terminal is not None}
    lines = []
    for index in members:
        answer = interview.answers[index]
        given = at_line.get(answer.line)
        marks = ("G" if index == terminal else " ") + ("P" if given in given_terminals else " ")
        label = result.answers[given].label if given is not None else "(not an answer)"
        lines.append(f"{marks}   Q: {(answer.question or '')[:width]}")
        lines.append(f"     A: {answer.text[:width]}{'…' if len(answer.text) > width else ''}  [{answer.label} → {label}]")
    return lines


def print_missed(interviews, results) -> None:
    """Every gold chain whose terminal why is missed, by why (:data:`MISSES`), answer by answer."""
    for why in MISSES:
        print(f"### {why}\n")
        for interview, result in zip(interviews, results):
            lines = [answer.line for answer in interview.answers]
            for members, terminal in zip(interview.chains, interview.terminals):
                if terminal_miss(members, terminal, lines, result) == why:
                    print(f"{interview.id}, line {lines[members[0]]}")
                    print("\n".join(chain_lines(interview, members, terminal, result)) + "\n")


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


def main(argv: list[str] | None = None) -> dict:
    from motive.model import load_model
    from motive.pipeline import annotate
    from motive.training import read_labelled

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: models/default)")
    parser.add_argument("--split", type=Path, default=ROOT / "corpora" / "interviews" / "test", help="labelled interviews (default: the test split)")
    parser.add_argument("--precision", default="auto", choices=("auto", "fp32", "bf16"))
    parser.add_argument("--show", action="store_true", help="also print each missed chain, answer by answer (G: the gold terminal why, P: the one given)")
    args = parser.parse_args(argv)

    model = load_model(args.model, device="cpu", precision=args.precision)
    interviews = read_labelled([args.split]).interviews
    results = annotate([i.unlabelled_transcript for i in interviews], model)
    tables = tally(interviews, results)
    print(f"{args.split}, labelled by {args.model or 'models/default'}\n")
    print_table("place in the gold chain", tables["place"], [p for p in PLACES if p in tables["place"]])
    drivers = tables["driver"]
    print_table("outcome answers, by value driver", drivers, sorted(drivers, key=lambda d: (d == "all outcomes", d)))
    misses = tally_misses(interviews, results)
    print(f"terminal whys missed: {sum(misses[why] for why in MISSES)} of {misses['chains']} gold chains")
    for why in MISSES:
        print(f"  {misses[why]:4d}  {why}")
    if args.show:
        print()
        print_missed(interviews, results)
    return {**tables, "terminal misses": dict(misses)}


if __name__ == "__main__":
    main()
