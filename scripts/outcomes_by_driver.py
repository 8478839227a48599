"""Which outcome answers does a model miss? Its labels for the gold outcome answers, by value driver.

    python scripts/outcomes_by_driver.py                                   # models/default on the test split
    python scripts/outcomes_by_driver.py --model models/dev --split corpora/interviews/dev

The corpus tags each outcome answer with the value driver it serves (decrease-cost,
increase-revenue, mitigate-risk, emotional-need; see corpora/GUIDELINES.md). For each
driver this prints how many gold outcome answers the split holds and how the model,
run end to end, labels them: where outcomes are read as output, the close case of
the spec behind the error is usually visible in the driver.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def labels_by_driver(interviews, results) -> dict[str, Counter]:
    """Driver → counts of the labels given to the gold outcome answers of that driver (and ``all``)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for interview, result in zip(interviews, results):
        given = {answer.line: answer.label for answer in result.answers}
        for answer in interview.answers:
            if answer.label == "outcome":
                label = given.get(answer.line, "none")
                counts[answer.driver or "(no driver)"][label] += 1
                counts["all"][label] += 1
    return dict(counts)


def main(argv: list[str] | None = None) -> dict[str, Counter]:
    from motive.model import load_model
    from motive.pipeline import annotate
    from motive.train import read_labelled

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: models/default)")
    parser.add_argument("--split", type=Path, default=ROOT / "corpora" / "interviews" / "test", help="labelled interviews (default: the test split)")
    parser.add_argument("--precision", default="auto", choices=("auto", "fp32", "bf16"))
    args = parser.parse_args(argv)

    model = load_model(args.model, device="cpu", precision=args.precision)
    interviews = read_labelled([args.split]).interviews
    counts = labels_by_driver(interviews, annotate([i.transcript for i in interviews], model))
    print(f"{args.split}: gold outcome answers, by value driver, as labelled by {args.model or 'models/default'}\n")
    print("| driver | answers | read as outcome | read as output | read as none |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for driver in sorted(counts, key=lambda d: (d == "all", d)):
        c, n = counts[driver], sum(counts[driver].values())
        print(f"| {driver} | {n} | {c['outcome'] / n:.2f} | {c['output']} | {c['none']} |")
    return counts


if __name__ == "__main__":
    main()
