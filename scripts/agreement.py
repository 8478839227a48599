"""Inter-annotator agreement on a random sample of the corpus.

    python scripts/agreement.py sample --answers 300   # raw transcripts for a second annotator
    python scripts/agreement.py score                  # Cohen's kappa and terminal-why agreement

``sample`` picks whole interviews at random (fixed seed) until they hold at least
the requested number of answers, and writes each one with every annotation and
the front matter removed to ``corpora/agreement/raw/``: the second annotator sees
only the transcript. Their annotated copies go to ``corpora/agreement/second/``
in motive's corpus format; ``score`` compares them with the corpus.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from motive.corpus import find_interviews, read_interview
from motive.transcripts import split_front_matter

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "interviews"
AGREEMENT = ROOT / "corpora" / "agreement"


def raw_transcript(text: str) -> str:
    """The transcript without front matter and annotation lines."""
    lines = text.splitlines()
    _, body = split_front_matter(lines)
    return "\n".join(line for line in lines[body:] if not line.startswith("@")).strip() + "\n"


def sample(corpus: list[Path], answers: int, seed: int) -> None:
    files = find_interviews(corpus)
    random.Random(seed).shuffle(files)
    raw = AGREEMENT / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    total, chosen = 0, []
    for path in files:
        if total >= answers:
            break
        total += len(read_interview(path).answers)
        chosen.append(path.stem)
        (raw / path.name).write_text(raw_transcript(path.read_text(encoding="utf-8")), encoding="utf-8")
    (AGREEMENT / "sample.json").write_text(json.dumps({"seed": seed, "answers": total, "interviews": chosen}, indent=2) + "\n")
    print(f"{len(chosen)} interviews, {total} answers → {raw}")


def score(corpus: list[Path]) -> dict:
    from sklearn.metrics import cohen_kappa_score

    by_id = {p.stem: p for p in find_interviews(corpus)}
    first_labels, second_labels, terminal_same, chains, boundary_same = [], [], 0, 0, 0
    disagreements = []
    for path in sorted((AGREEMENT / "second").glob("*.txt")):
        first, second = read_interview(by_id[path.stem]), read_interview(path)
        # The same transcript: answers line up one to one, unless the corpus file was edited since
        # the sample was drawn; then only answers with identical text are compared.
        if [a.text for a in first.answers] == [a.text for a in second.answers]:
            pairs = list(zip(first.answers, second.answers))
        else:
            by_text = {a.text: a for a in second.answers}
            pairs = [(a, by_text[a.text]) for a in first.answers if a.text in by_text]
        for answer, other in pairs:
            first_labels.append(answer.label)
            second_labels.append(other.label)
            if answer.label != other.label:
                disagreements.append({"id": path.stem, "line": answer.line, "first": answer.label, "second": other.label})
        first_starts = {first.answers[m[0]].text for m in first.chains}
        second_starts = {second.answers[m[0]].text for m in second.chains}
        boundary_same += len(first_starts & second_starts)
        second_terminals = {second.answers[t].text for t in second.terminals if t is not None}
        for members, terminal in zip(first.chains, first.terminals):
            if first.answers[members[0]].text not in second_starts:
                continue
            texts = {first.answers[i].text for i in members}
            expected = {first.answers[terminal].text} if terminal is not None else set()
            chains += 1
            terminal_same += (texts & second_terminals) == expected
    agree = sum(a == b for a, b in zip(first_labels, second_labels))
    report = {
        "interviews": len(list((AGREEMENT / "second").glob("*.txt"))),
        "answers": len(first_labels),
        "label_agreement": round(agree / len(first_labels), 4),
        "cohen_kappa": round(float(cohen_kappa_score(first_labels, second_labels)), 4),
        "chains_compared": chains,
        "terminal_agreement": round(terminal_same / chains, 4) if chains else None,
        "disagreements": disagreements,
    }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["sample", "score"])
    parser.add_argument("--corpus", type=Path, nargs="+", default=[CORPUS])
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.corpus, args.answers, args.seed)
    else:
        report = score(args.corpus)
        (AGREEMENT / "agreement.json").write_text(json.dumps(report, indent=2) + "\n")
        print(json.dumps({k: v for k, v in report.items() if k != "disagreements"}, indent=2))


if __name__ == "__main__":
    main()
