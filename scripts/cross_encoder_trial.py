"""Would a fine-tuned cross-encoder label answers, or tell question kinds, better? A trial on
the dev split; writes nothing.

    python scripts/cross_encoder_trial.py                     # answer labels, 3 epochs: about 15 minutes on 2 CPU cores
    python scripts/cross_encoder_trial.py --task questions    # question kinds (root / probe / aside)

The bundled MiniLM is fine-tuned end to end as a three-way classifier (mean
pooling and a linear layer, cross-entropy) on the train split. For answer
labels each answer is read as one input with its question and the
interviewer's next question; for question kinds each question with the end of
the answer before it and the start of the reply. After each epoch the script
prints its dev figures (macro-F1 output vs outcome and 3-way; or accuracy,
macro-F1 and the chain-boundary F1 the kinds give), those of motive's own
classifier trained on the same split, and those of the mean of both models'
probabilities. BENCHMARKS.md ("How far this design goes") has the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from pathlib import Path

import numpy as np

from sklearn.metrics import f1_score

from motive.chains import QUESTION_KINDS, assign_chains, chain_members
from motive.corpus import LABELS
from motive.embed import CachedEmbedder, SentenceTransformerEmbedder, bundled_minilm
from motive.evaluation import boundary_scores, label_scores
from motive.features import question_rows
from motive.model import EmbeddingCache
from motive.pipeline import annotate
from motive.reader import reader_examples
from motive.segment import Segmenter
from motive.training import read_labelled, train

ROOT = Path(__file__).resolve().parent.parent
BATCH = 16


def answer_scores(gold: list[int], proba: np.ndarray) -> dict:
    report = label_scores([LABELS[g] for g in gold], [LABELS[p] for p in proba.argmax(axis=1)])
    return {"output_vs_outcome": report["macro_f1_output_outcome"], "three_way": report["macro_f1_3way"]}


def question_scores(interviews, gold: list[int], proba: np.ndarray) -> dict:
    """Accuracy and macro-F1 of the kinds, and the F1 of the chain starts they give (as ``evaluate`` scores them)."""
    predicted = iter(proba.argmax(axis=1))
    gold_starts, predicted_starts = set(), set()
    for n, interview in enumerate(interviews):
        asked = [a.question is not None for a in interview.answers]
        kinds = [QUESTION_KINDS[next(predicted)] if a else None for a in asked]
        gold_kinds = [a.question_kind if a.question is not None else None for a in interview.answers]
        gold_starts |= {(n, members[0]) for members in chain_members(assign_chains(gold_kinds))}
        predicted_starts |= {(n, members[0]) for members in chain_members(assign_chains(kinds))}
    return {
        "accuracy": round(float(np.mean(proba.argmax(axis=1) == np.asarray(gold))), 4),
        "macro_f1": round(float(f1_score(gold, proba.argmax(axis=1), average="macro")), 4),
        "chain_boundaries": boundary_scores(gold_starts, predicted_starts)["f1"],
    }


class CrossEncoder:
    def __init__(self, classes: int, learning_rate: float, steps: int):
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(bundled_minilm()))
        self.encoder = AutoModel.from_pretrained(str(bundled_minilm()))
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, classes)
        parameters = [*self.encoder.parameters(), *self.head.parameters()]
        self.optimiser = torch.optim.AdamW(parameters, lr=learning_rate, weight_decay=0.01)
        warmup = 0.1 * steps  # linear warm-up over the first tenth, then linear decay
        self.schedule = torch.optim.lr_scheduler.LambdaLR(self.optimiser, lambda s: min(1, (s + 1) / warmup) * max(0.0, (steps - s) / steps))

    def logits(self, batch):
        features = self.tokenizer([b[0] for b in batch], [b[1] for b in batch], padding=True, truncation=True, max_length=256, return_tensors="pt")
        hidden = self.encoder(**features).last_hidden_state
        mask = features["attention_mask"].unsqueeze(-1).float()
        return self.head((hidden * mask).sum(1) / mask.sum(1))

    def step(self, batch) -> float:
        target = self.torch.tensor([b[2] for b in batch])
        loss = self.torch.nn.functional.cross_entropy(self.logits(batch), target)
        self.optimiser.zero_grad()
        loss.backward()
        self.optimiser.step()
        self.schedule.step()
        return loss.item()

    def proba(self, rows) -> np.ndarray:
        self.encoder.eval()
        with self.torch.no_grad():
            out = [self.torch.softmax(self.logits(rows[s : s + 64]), dim=1).numpy() for s in range(0, len(rows), 64)]
        self.encoder.train()
        return np.vstack(out)


def motive_probabilities(task: str, train_interviews, dev_interviews) -> np.ndarray:
    """motive's own probabilities for the dev answers' labels or questions' kinds, trained on the train split."""
    embedder = CachedEmbedder(SentenceTransformerEmbedder(), Path(".cache/embeddings"))
    model = train(train_interviews, embedder=embedder, segmenter=Segmenter())
    embedder.save()
    rows = []
    if task == "answers":
        for interview, result in zip(dev_interviews, annotate([i.unlabelled_transcript for i in dev_interviews], model)):
            by_line = {a.line: a.probabilities for a in result.answers}
            rows += [[by_line.get(a.line, {}).get(label, float(label == "none")) for label in LABELS] for a in interview.answers]
        return np.asarray(rows)
    estimator, vectors = model.estimators["question"], EmbeddingCache(model.embedder)
    order = [list(estimator.classes_).index(kind) for kind in QUESTION_KINDS]
    for interview in dev_interviews:
        sentences = model.segmenter.sentences([a.text for a in interview.answers])
        proba = estimator.predict_proba(question_rows([a.question for a in interview.answers], sentences, vectors, embedder.dimension))[:, order]
        rows += [row for row, a in zip(proba, interview.answers) if a.question is not None]
    return np.asarray(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", choices=("answers", "questions"), default="answers")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--learning-rate", type=float, default=5e-5)
    args = parser.parse_args()
    os.chdir(ROOT)
    import torch

    train_interviews = read_labelled([Path("corpora/interviews/train")]).interviews
    dev_interviews = read_labelled([Path("corpora/interviews/dev")]).interviews
    # The reader's own inputs (motive/reader.py): the trial read exactly these.
    train_rows, dev_rows = ([(*pair, target) for pair, target in reader_examples(i)[args.task]] for i in (train_interviews, dev_interviews))
    gold = [r[2] for r in dev_rows]

    def scores(proba: np.ndarray) -> dict:
        return answer_scores(gold, proba) if args.task == "answers" else question_scores(dev_interviews, gold, proba)

    own = motive_probabilities(args.task, train_interviews, dev_interviews)
    print(json.dumps({"motive": scores(own)}), flush=True)
    torch.manual_seed(0)
    rng = random.Random(0)
    model = CrossEncoder(len(LABELS if args.task == "answers" else QUESTION_KINDS), args.learning_rate, args.epochs * (len(train_rows) // BATCH))
    order = list(range(len(train_rows)))
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(order)
        for start in range(0, len(order) - BATCH + 1, BATCH):
            model.step([train_rows[i] for i in order[start : start + BATCH]])
        cross = model.proba(dev_rows)
        print(json.dumps({"epoch": epoch, "cross_encoder": scores(cross), "mean_of_both": scores((own + cross) / 2)}), flush=True)


if __name__ == "__main__":
    main()
