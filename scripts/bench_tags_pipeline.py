"""Value driver and discipline as ``motive classify`` gives them, against the corpus tags.

    motive classify corpora/interviews/test -o results/test.jsonl
    python scripts/bench_tags_pipeline.py results/test.jsonl corpora/interviews/test

Unlike the figures of ``scripts/train_default.py`` (tags of the gold outcome
answers), here an answer only gets a tag when the pipeline labelled it outcome:
coverage is the share of gold-tagged answers that got one, and macro-F1 is over
those. Answers are matched by file name and line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from motive.corpus import read_interviews
from motive.insights import read_results_jsonl
from motive.tags import TAG_VALUES, tag_scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", type=Path, help="results of 'motive classify' (.jsonl)")
    parser.add_argument("labelled", nargs="+", type=Path, help="the labelled interviews those results classified")
    args = parser.parse_args()
    results = {Path(r.source).name: r for r in read_results_jsonl(args.results)}
    interviews = read_interviews(args.labelled)
    for subset in ("outcome answers", "terminal whys"):
        pairs = []
        for interview in interviews:
            predicted = {a.line: a for a in results[Path(interview.transcript.source).name].answers}
            for gold in interview.answers:
                if gold.label == "outcome" and gold.driver and (subset == "outcome answers" or gold.terminal):
                    pairs.append((gold, predicted.get(gold.line)))
        tagged = [(g, p) for g, p in pairs if p is not None and p.driver]
        print(f"{subset}: {len(pairs)} gold, {len(tagged)} labelled outcome by the pipeline (coverage {len(tagged) / len(pairs):.3f})")
        for name, values in TAG_VALUES.items():
            scores = tag_scores([getattr(g, name) for g, _ in tagged], [getattr(p, name) for _, p in tagged], values)
            print(f"  {name:<11} macro-F1 {scores['macro_f1']:.3f}  accuracy {scores['accuracy']:.3f}")


if __name__ == "__main__":
    main()
