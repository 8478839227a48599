"""Where should the reader read? Score a model with a reader at several ``read_below`` thresholds.

    python scripts/train_default.py --dev --output models/dev   # a model trained on train only (about 50 minutes)
    python scripts/read_below_sweep.py models/dev                # scored on dev at each threshold

The reader reads an answer or a question only where the classifiers give no class
a probability of ``read_below`` or more (1: it reads everything). For each
threshold this prints the four figures of ``motive evaluate`` and how many
questions and answers the reader read. Choose on dev, never on test.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from motive.evaluation import evaluate, headline_figures
    from motive.model import load_model
    from motive.training import read_labelled

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path, help="a model folder with a reader")
    parser.add_argument("--split", type=Path, default=ROOT / "corpora" / "interviews" / "dev", help="labelled interviews (default: the dev split)")
    parser.add_argument("--thresholds", default="1,0.99,0.98,0.95,0.9,0.85,0.8,0.7,0.6")
    parser.add_argument("--precision", default="fp32", choices=("fp32", "bf16"), help="as the model was scored when trained (default: fp32)")
    args = parser.parse_args()

    model = load_model(args.model, device="cpu", precision=args.precision)
    if model.reader is None:
        parser.error(f"{args.model} has no reader")
    interviews = read_labelled([args.split]).interviews
    reads: dict[str, int] = {}
    predict = model.reader.predict

    def counted(task, pairs):
        reads[task] = reads.get(task, 0) + len(pairs)
        return predict(task, pairs)

    model.reader.predict = counted
    for threshold in (float(t) for t in args.thresholds.split(",")):
        model.reader.read_below = threshold
        reads.clear()
        started = time.perf_counter()
        report = evaluate(model, interviews)
        print(json.dumps({
            "read_below": threshold,
            **headline_figures(report),
            "questions_read": reads.get("questions", 0),
            "answers_read": reads.get("answers", 0),
            "seconds": round(time.perf_counter() - started, 1),
        }), flush=True)


if __name__ == "__main__":
    main()
