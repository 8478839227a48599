"""How many tokens should one of the reader's batches hold? Time it at several sizes, side by side.

    python scripts/bench_reader_batches.py                       # 512, 256 and 128 tokens, bf16, 2 rounds
    python scripts/bench_reader_batches.py --precision fp32 --threads 1

The reader pads every batch to a fixed shape (so that what it says of an input
does not depend on what else is read with it), and each length bucket ends in a
part-full batch. Bigger batches compute more efficiently and waste more on that
last one. For each size, in turns over the rounds in one process, this reads
every answer and question pair of a labelled split at once, then the pairs of
single interviews one at a time (as ``motive classify ONE_FILE`` does), and
says whether the probabilities are the same, to the last bit, as at the first
size.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "default", help="a model folder with a reader")
    parser.add_argument("--split", type=Path, default=ROOT / "corpora" / "interviews" / "test", help="labelled interviews (default: the test split)")
    parser.add_argument("--tokens", default="512,256,128", help="tokens per batch to compare; the first is the reference")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--single", type=int, default=5, help="interviews read one at a time (default: %(default)s)")
    parser.add_argument("--precision", default="bf16", choices=("fp32", "bf16"))
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's own)")
    args = parser.parse_args()

    import numpy as np
    import torch

    import motive.reader as reader_module
    from motive.model import load_model
    from motive.training import read_labelled

    if args.threads:
        torch.set_num_threads(args.threads)
    reader = load_model(args.model, device="cpu", precision=args.precision).reader
    if reader is None:
        parser.error(f"{args.model} has no reader")
    interviews = []
    for interview in read_labelled([args.split]).interviews:
        texts, questions = [a.text for a in interview.answers], [a.question for a in interview.answers]
        asked = [p for p in reader_module.question_pairs(texts, questions) if p is not None]
        interviews.append({"answers": reader_module.answer_pairs(texts, questions), "questions": asked})
    every = {task: [p for i in interviews for p in i[task]] for task in reader_module.TASKS}
    print(f"{len(interviews)} interviews: {len(every['answers'])} answer and {len(every['questions'])} question pairs; "
          f"{args.precision}, {torch.get_num_threads()} threads")
    sizes = [int(t) for t in args.tokens.split(",")]
    for task, pairs in interviews[0].items():  # builds both networks and warms them, untimed
        reader.predict(task, pairs)
    reference = None
    for round_ in range(1, args.rounds + 1):
        for size in sizes:
            reader_module.TOKENS_PER_BATCH = size
            started = time.perf_counter()
            read = {task: reader.predict(task, pairs) for task, pairs in every.items()}
            together = time.perf_counter() - started
            started = time.perf_counter()
            for interview in interviews[: args.single]:
                for task, pairs in interview.items():
                    reader.predict(task, pairs)
            alone = (time.perf_counter() - started) / max(1, min(args.single, len(interviews)))
            reference = reference or read
            largest = max(float(np.abs(read[t] - reference[t]).max()) for t in read)
            same = "the same" if largest == 0 else f"differ by up to {largest:.1e}"
            print(f"round {round_}, {size} tokens: all pairs {together:.1f} s; one interview {alone:.2f} s; probabilities {same}", flush=True)


if __name__ == "__main__":
    main()
