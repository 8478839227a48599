"""Place corpus files into the fixed train / dev / test split, by interview.

    python scripts/split_corpus.py corpora/incoming/*/

Each interview's split follows from its id alone (sha256 of the id: 70 % train,
15 % dev, 15 % test), so adding interviews never moves existing ones, and one
interview is never in two splits.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

from motive.corpus import find_interviews, read_interview

ROOT = Path(__file__).resolve().parent.parent
INTERVIEWS = ROOT / "corpora" / "interviews"


def split_of(interview_id: str) -> str:
    bucket = int(hashlib.sha256(interview_id.encode()).hexdigest(), 16) % 20
    return "train" if bucket < 14 else "dev" if bucket < 17 else "test"


def main(paths: list[str]) -> None:
    counts: dict[str, int] = {}
    for path in find_interviews([Path(p) for p in paths]):
        interview = read_interview(path)  # refuses a broken file before anything moves
        split = split_of(interview.id)
        target = INTERVIEWS / split / f"{interview.id}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        counts[split] = counts.get(split, 0) + 1
    print(counts)


if __name__ == "__main__":
    main(sys.argv[1:])
