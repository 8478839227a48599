"""How well motive's leading-question heuristic agrees with the corpus's ``leading`` flags.

    python scripts/bench_leading.py            # the test split
    python scripts/bench_leading.py train dev  # other splits

Every interviewer question that the respondent answers counts once.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from motive.corpus import read_interviews
from motive.diagnostics import leading_reason

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from sklearn.metrics import precision_recall_fscore_support

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("splits", nargs="*", default=["test"], help="splits of corpora/interviews (default: test)")
    for split in parser.parse_args().splits:
        interviews = read_interviews([ROOT / "corpora" / "interviews" / split])
        questions = [(a.question, a.leading) for i in interviews for a in i.answers if a.question]
        gold = [flag for _, flag in questions]
        predicted = [leading_reason(q) is not None for q, _ in questions]
        p, r, f, _ = precision_recall_fscore_support(gold, predicted, average="binary", zero_division=0)
        print(f"{split}: {len(questions)} questions, {sum(gold)} flagged leading, {sum(predicted)} found; "
              f"precision {p:.3f} recall {r:.3f} F1 {f:.3f}")


if __name__ == "__main__":
    main()
