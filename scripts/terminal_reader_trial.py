"""Trial: does a cross-encoder that reads two outcome answers of a chain together pick the
terminal why better than the terminal classifier alone?

    python scripts/train_default.py --dev --output models/dev   # the dev model, once (trained on train)
    python scripts/terminal_reader_trial.py                      # pairs from train, models/dev scored on dev
    python scripts/terminal_reader_trial.py --epochs 4 --seed 1
    python scripts/terminal_reader_trial.py --model models/default --train corpora/interviews/train corpora/interviews/dev --split corpora/interviews/test

MiniLM is fine-tuned (as the reader's parts are) on pairs of outcome answers of the same gold
chain, each with its question, in the order they were said: the gold terminal why against each
outcome said before it (the later one wins) and against each said after it (the earlier one
wins). On the split scored, the model's own chains and outcome answers are classified end to end; each chain
with two or more outcome answers is then decided three ways: by the terminal classifier (as
motive does), by the pairs alone (each candidate's summed log-odds of winning against the
others) and by both (the classifier's log-odds plus the pairs' times a weight). Only the terminal
why can change, so only terminal-why accuracy is printed, with the chains each way gains and
loses against the classifier. The pairs are fine-tuned with the threads torch takes, so a run
matches another on the same machine, not another's weights to the last bit elsewhere.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def said(question: str | None, answer: str) -> str:
    """One side of a pair: the answer after the question it answers."""
    return f"{question or ''} {answer}".strip()


def training_pairs(interviews) -> list[tuple[tuple[str, str], int]]:
    """(earlier, later) pairs of each gold chain's terminal why and its other outcome answers,
    with 1 where the terminal is the later of the two."""
    rows = []
    for interview in interviews:
        answers = interview.answers
        for members, terminal in zip(interview.chains, interview.terminals):
            if terminal is None:
                continue
            outcomes = [i for i in members if answers[i].label == "outcome"]
            for other in outcomes:
                if other == terminal:
                    continue
                first, second = sorted((other, terminal))
                pair = (said(answers[first].question, answers[first].text), said(answers[second].question, answers[second].text))
                rows.append((pair, int(second == terminal)))
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "dev")
    parser.add_argument("--train", type=Path, nargs="+", default=[ROOT / "corpora" / "interviews" / "train"])
    parser.add_argument("--split", type=Path, default=ROOT / "corpora" / "interviews" / "dev")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--precision", default="fp32", choices=("fp32", "bf16"))
    args = parser.parse_args(argv)

    import torch

    from motive import pipeline
    from motive.corpus import read_interviews
    from motive.evaluation import terminal_hits
    from motive.model import load_model
    from motive.reader import ReaderSettings, _fine_tune, fine_tune_steps

    rows = training_pairs([i for folder in args.train for i in read_interviews(folder)])
    print(f"{len(rows)} training pairs, {sum(t for _, t in rows)} won by the later answer")
    settings = ReaderSettings(seed=args.seed)
    steps = fine_tune_steps(len(rows), args.epochs, settings.batch)
    started = time.perf_counter()
    network = _fine_tune(rows, 2, args.epochs, settings, None)
    print(f"fine-tuned in {time.perf_counter() - started:.0f} s ({steps} batches)")

    def later_wins(pairs):
        with torch.inference_mode():
            out = []
            for start in range(0, len(pairs), 32):
                features = network.tokenize(pairs[start : start + 32], padding=True, return_tensors="pt")
                out.append(torch.softmax(network.logits(dict(features)), 1)[:, 1].numpy())
            return np.concatenate(out) if out else np.zeros(0)

    recorded = []
    original = pipeline._terminal_whys

    def recording(model, chains, labels, p_outcome, means, words, asked):
        from motive.features import terminal_features

        candidates = [[i for i in members if labels[i] == "outcome"] for members in chains]
        feature_rows = [terminal_features(m, f, p_outcome, means, words, asked) for m, f in zip(chains, candidates) if f]
        scores = list(model.terminal_scores(np.vstack(feature_rows))) if feature_rows else []
        recorded.append((candidates, scores))
        return original(model, chains, labels, p_outcome, means, words, asked)

    pipeline._terminal_whys = recording
    model = load_model(args.model, device="cpu", precision=args.precision)
    interviews = read_interviews(args.split)
    results = pipeline.annotate([i.unlabelled_transcript for i in interviews], model)
    assert len(recorded) == len(results)

    # For every chain with two or more candidates: the classifier's log-odds and the pairs' sums.
    decisions = []  # (result index, chain index, candidates, classifier log-odds, pair log-odds sums)
    pairs, owners = [], []
    for r, (result, (candidates, scores)) in enumerate(zip(results, recorded)):
        it = iter(scores)
        for c, found in enumerate(candidates):
            chain_scores = [next(it) for _ in found]
            if len(found) < 2:
                continue
            logits = [math.log(max(s, 1e-9) / max(1 - s, 1e-9)) for s in chain_scores]
            decisions.append((r, c, found, np.array(logits), np.zeros(len(found))))
            answers = result.answers
            for a in range(len(found)):
                for b in range(a + 1, len(found)):
                    first, second = answers[found[a]], answers[found[b]]
                    pairs.append((said(first.question, first.text), said(second.question, second.text)))
                    owners.append((len(decisions) - 1, a, b))
    wins = later_wins(pairs)
    for (d, a, b), p in zip(owners, wins):
        odds = math.log(max(p, 1e-6) / max(1 - p, 1e-6))
        decisions[d][4][b] += odds
        decisions[d][4][a] -= odds

    def hits(weight: float | None) -> list[bool]:
        for r, c, found, logits, sums in decisions:
            combined = sums if weight is None else logits + weight * sums
            results[r].chains[c].terminal = found[int(np.argmax(combined))]
        return [h for interview, result in zip(interviews, results) for h in terminal_hits(interview, result)]

    print(f"{len(decisions)} chains with two or more candidates, {len(pairs)} pairs read")
    alone = hits(0.0)
    for name, weight in [("classifier (in use)", 0.0), ("pairs alone", None), *[(f"both, pairs x{w}", w) for w in (0.25, 0.5, 1.0, 2.0)]]:
        hit = hits(weight)
        gained, lost = sum(h and not a for h, a in zip(hit, alone)), sum(a and not h for h, a in zip(hit, alone))
        print(f"{name:24s} terminal why {sum(hit) / len(hit):.3f} ({sum(hit)} of {len(hit)}; {gained} gained, {lost} lost)")


if __name__ == "__main__":
    main()
