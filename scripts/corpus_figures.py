"""Print the corpus card's figures as Markdown.

    python scripts/corpus_figures.py > /tmp/figures.md

Counts per split, label, register, domain and market, value-driver and
value-discipline tags, answer lengths, and phrase repetition (share of distinct
word 3-grams, most frequent 3-grams per label).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from motive.corpus import LABELS, read_interviews, stats

ROOT = Path(__file__).resolve().parent.parent
SPLITS = ("train", "dev", "test")


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def shared_sentences(interviews) -> int:
    """How many distinct answer sentences (five words or more) occur in two or more interviews."""
    found: dict[str, set[str]] = {}
    for interview in interviews:
        for answer in interview.answers:
            for sentence in re.split(r"(?<=[.!?])\s+", answer.text):
                if len(sentence.split()) >= 5:
                    found.setdefault(sentence.strip().lower(), set()).add(interview.id)
    return sum(len(ids) > 1 for ids in found.values())


def main() -> None:
    by_split = {s: read_interviews([ROOT / "corpora" / "interviews" / s]) for s in SPLITS}
    everything = [i for s in SPLITS for i in by_split[s]]
    figures = {s: stats(by_split[s]) for s in SPLITS}
    total = stats(everything)
    rows = []
    for name, f in [*figures.items(), ("all", total)]:
        rows.append([name, f["interviews"], f["chains"], f["chains_without_outcome"], f["answers"],
                     *(f["labels"].get(label, 0) for label in LABELS)])
    print(table(["split", "interviews", "chains", "never reach an outcome", "answers", *LABELS], rows))
    print()
    situations = {re.sub(r"-\d+$", "", i.id) for i in everything}  # ids are <writer>-<situation>-<n>
    print(f"Purchase situations: {len(situations)}.\n")
    registers = Counter()
    for interview in everything:
        for answer in interview.answers:
            registers[(interview.metadata.get("register", "?"), answer.label)] += 1
    print(table(["register", "interviews", *LABELS],
                [[r, n, *(registers[(r, label)] for label in LABELS)] for r, n in total["registers"].items()]))
    print()
    print(table(["domain", "interviews"], [[d, n] for d, n in total["domains"].items()]))
    print()
    print(table(["market", "interviews"], [[m, n] for m, n in total["markets"].items()]))
    print()
    print(table(["value driver (outcome answers)", "answers"], [[d, n] for d, n in total["drivers"].items()]))
    print()
    print(table(["value discipline (outcome answers)", "answers"], [[d, n] for d, n in total["disciplines"].items()]))
    print()
    words = total["answer_words"]
    print(f"Answer length in words: min {words['min']}, median {words['median']}, 90th percentile {words['p90']}, max {words['max']}.\n")
    print(f"Share of distinct word 3-grams over all answers: {total['distinct_3gram_share']}.\n")
    print(f"Answer sentences of five or more words found in more than one interview: {shared_sentences(everything)}.\n")
    print(table(["label", "most frequent word 3-grams (count)"],
                [[label, ", ".join(f"{g} ({c})" for g, c in grams)] for label, grams in total["top_3grams"].items()]))


if __name__ == "__main__":
    main()
