"""Which sentence splitter copes with spoken, unpunctuated answers?

    python scripts/bench_segmentation.py

Takes the corpus's clean-register answers of two or more sentences, whose
punctuation marks the true sentence ends, and strips them the way automatic
transcription does (lower case, no punctuation). Each splitter then has to find
the sentence ends again; the script reports boundary precision, recall and F1
for spaCy's trained ``en_core_web_sm`` pipeline (its ``senter`` and its parser) and for
the rule-based ``sentencizer``, on the punctuated and on the stripped text.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from motive.corpus import read_interviews
from motive.segment import Segmenter

ROOT = Path(__file__).resolve().parent.parent


def word_ends(sentences: list[str]) -> set[int]:
    """Indices of the words that end a sentence (the text's last word excluded)."""
    ends, count = set(), 0
    for sentence in sentences:
        count += len(sentence.split())
        ends.add(count - 1)
    return ends - {count - 1}


def strip(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", text).lower().split())


def score(gold: list[set[int]], found: list[set[int]]) -> dict:
    hits = sum(len(g & f) for g, f in zip(gold, found))
    predicted, true = sum(map(len, found)), sum(map(len, gold))
    precision, recall = hits / max(predicted, 1), hits / max(true, 1)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / max(precision + recall, 1e-9)}


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    interviews = read_interviews([ROOT / "corpora" / "interviews"])
    texts = [a.text for i in interviews if i.metadata.get("register") == "clean" for a in i.answers]
    rule = Segmenter("sentencizer")
    gold_sentences = rule.sentences(texts)
    chosen = [(t, g) for t, g in zip(texts, gold_sentences) if len(g) > 1 and len(t.split()) == len(strip(t).split())]
    gold = [word_ends(g) for _, g in chosen]
    print(f"{len(chosen)} clean answers of 2+ sentences, {sum(map(len, gold))} sentence boundaries\n")
    print(f"{'splitter':<24}{'text':<14}{'precision':>10}{'recall':>10}{'f1':>8}")
    splitters = [("en_core_web_sm senter", Segmenter(splitter="senter")), ("en_core_web_sm parser", Segmenter(splitter="parser"))]
    for name, segmenter in [*splitters, ("sentencizer", rule)]:
        for kind, inputs in [("punctuated", [t for t, _ in chosen]), ("stripped", [strip(t) for t, _ in chosen])]:
            found = [word_ends(s) for s in segmenter.sentences(inputs)]
            result = score(gold, found)
            print(f"{name:<24}{kind:<14}{result['precision']:>10.3f}{result['recall']:>10.3f}{result['f1']:>8.3f}")


if __name__ == "__main__":
    main()
