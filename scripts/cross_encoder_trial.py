"""Would a fine-tuned cross-encoder label answers better? A trial on the dev split; writes nothing.

    python scripts/cross_encoder_trial.py               # 3 epochs: about 15 minutes on 2 CPU cores
    python scripts/cross_encoder_trial.py --epochs 1

The bundled MiniLM is fine-tuned end to end as a three-way classifier (mean
pooling and a linear layer, cross-entropy) on the train split's answers, each
read as one input with its question and the interviewer's next question. After
each epoch the script prints its dev macro-F1 (output vs outcome, 3-way); at the
end, motive's own classifier trained on the same split and the mean of both
models' probabilities. BENCHMARKS.md ("How far this design goes") has the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from pathlib import Path

import numpy as np

from motive.corpus import LABELS
from motive.embed import CachedEmbedder, SentenceTransformerEmbedder, bundled_minilm
from motive.evaluate import label_scores
from motive.pipeline import annotate
from motive.segment import Segmenter
from motive.train import read_labelled, train

ROOT = Path(__file__).resolve().parent.parent
BATCH = 16


def examples(interviews) -> list[tuple[str, str, int]]:
    """(question, answer [SEP] next question, label index) for every answer."""
    rows = []
    for interview in interviews:
        answers = interview.answers
        for k, answer in enumerate(answers):
            following = (answers[k + 1].question or "") if k + 1 < len(answers) else ""
            rows.append((answer.question or "", f"{answer.text} [SEP] {following}", LABELS.index(answer.label)))
    return rows


def scores(gold: list[int], proba: np.ndarray) -> dict:
    report = label_scores([LABELS[g] for g in gold], [LABELS[p] for p in proba.argmax(axis=1)])
    return {"output_vs_outcome": report["macro_f1_output_outcome"], "three_way": report["macro_f1_3way"]}


class CrossEncoder:
    def __init__(self, learning_rate: float, steps: int):
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(bundled_minilm()))
        self.encoder = AutoModel.from_pretrained(str(bundled_minilm()))
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(LABELS))
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


def motive_proba(train_interviews, dev_interviews) -> np.ndarray:
    """motive's own label probabilities for every dev answer, trained on the train split."""
    embedder = CachedEmbedder(SentenceTransformerEmbedder(), Path(".cache/embeddings"))
    model = train(train_interviews, embedder=embedder, segmenter=Segmenter())
    embedder.save()
    rows = []
    for interview, result in zip(dev_interviews, annotate([i.transcript for i in dev_interviews], model)):
        by_line = {a.line: a.probabilities for a in result.answers}
        rows += [[by_line.get(a.line, {}).get(label, float(label == "none")) for label in LABELS] for a in interview.answers]
    return np.asarray(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--learning-rate", type=float, default=5e-5)
    args = parser.parse_args()
    os.chdir(ROOT)
    import torch

    torch.manual_seed(0)
    rng = random.Random(0)
    train_interviews = read_labelled([Path("corpora/interviews/train")]).interviews
    dev_interviews = read_labelled([Path("corpora/interviews/dev")]).interviews
    train_rows, dev_rows = examples(train_interviews), examples(dev_interviews)
    gold = [r[2] for r in dev_rows]

    model = CrossEncoder(args.learning_rate, args.epochs * (len(train_rows) // BATCH))
    order = list(range(len(train_rows)))
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(order)
        for start in range(0, len(order) - BATCH + 1, BATCH):
            model.step([train_rows[i] for i in order[start : start + BATCH]])
        cross = model.proba(dev_rows)
        print(json.dumps({"cross_encoder_epoch": epoch, **scores(gold, cross)}), flush=True)
    own = motive_proba(train_interviews, dev_interviews)
    print(json.dumps({"motive": scores(gold, own), "mean_of_both": scores(gold, (own + cross) / 2)}))


if __name__ == "__main__":
    main()
