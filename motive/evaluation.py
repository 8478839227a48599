"""How well a model does on labelled data: labels, terminal whys and chain boundaries.

:func:`evaluate` returns a plain dict; the CLI prints it as a table or JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from motive.corpus import GoldInterview
from motive.labels import LABELS
from motive.model import MotiveModel
from motive.output import counted
from motive.pipeline import annotate, model_from
from motive.results import Result
from motive.roles import find_interviewers


def label_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict:
    """Per-label precision/recall/F1, confusion matrix, and the two macro-F1 figures.

    ``macro_f1_output_outcome`` is the mean F1 of ``output`` and ``outcome`` over
    the answers whose gold label is one of the two (predicting none counts as a miss).
    A macro-F1 averages over the labels that occur, in the gold labels or the
    predicted ones: a label nobody gave and nothing predicted is not a zero.

    >>> label_scores(["output", "outcome"], ["output", "outcome"])["macro_f1_3way"]
    1.0
    """
    from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

    gold, predicted = list(gold), list(predicted)
    precision, recall, f1, support = precision_recall_fscore_support(gold, predicted, labels=list(LABELS), zero_division=0)
    two = [i for i, g in enumerate(gold) if g in ("output", "outcome")]
    occurring = [label for label in LABELS if label in gold or label in predicted]
    occurring_of_two = [label for label in ("output", "outcome") if any(gold[i] == label or predicted[i] == label for i in two)]
    return {
        "answers": len(gold),
        "accuracy": round(float(np.mean([g == p for g, p in zip(gold, predicted)])) if gold else 0.0, 4),
        "per_label": {
            label: {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4), "support": int(s)}
            for label, p, r, f, s in zip(LABELS, precision, recall, f1, support)
        },
        "confusion": {"labels": list(LABELS), "matrix": confusion_matrix(gold, predicted, labels=list(LABELS)).tolist()},
        "macro_f1_3way": round(float(f1_score(gold, predicted, labels=occurring, average="macro", zero_division=0)) if occurring else 0.0, 4),
        "macro_f1_output_outcome": round(
            float(f1_score([gold[i] for i in two], [predicted[i] for i in two], labels=occurring_of_two, average="macro", zero_division=0))
            if occurring_of_two else 0.0, 4
        ),
    }


def boundary_scores(gold_starts: set, predicted_starts: set) -> dict:
    """F1 of chain starts (the answers that open a chain)."""
    hits = len(gold_starts & predicted_starts)
    precision = hits / len(predicted_starts) if predicted_starts else 0.0
    recall = hits / len(gold_starts) if gold_starts else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def terminal_hits(interview: GoldInterview, result: Result) -> list[bool]:
    """Per gold chain: does the prediction name the same terminal answer (or none, when none)?"""
    lines = [answer.line for answer in interview.answers]
    return [terminal_hit({lines[i] for i in members}, lines[terminal] if terminal is not None else None, result)
            for members, terminal in zip(interview.chains, interview.terminals)]


def terminal_hit(chain_lines: set[int], terminal_line: int | None, result: Result) -> bool:
    """Whether the terminal whys ``result`` names among a gold chain's transcript lines are the gold
    one alone (none, for a chain without an outcome)."""
    named = chain_lines & {result.answers[c.terminal].line for c in result.chains if c.terminal is not None}
    return named == ({terminal_line} if terminal_line is not None else set())


def _chain_starts(chains: Sequence[Sequence[int]], lines: Sequence[int], key: str) -> set:
    return {(key, lines[members[0]]) for members in chains if members}


def evaluate(model: MotiveModel | str | Path, interviews: Sequence[GoldInterview] = (), tables: Sequence[tuple[str, str]] = ()) -> dict:
    """Classify the gold interviews end to end (roles, chains, labels, terminals) and score every stage.

    ``model``: a loaded model or a model folder; ``interviews``: annotated interviews
    (:func:`motive.read_interviews`); ``tables``: ``(text, label)`` pairs. A ``ValueError``
    when there is nothing to score or a label is not one of motive's.
    """
    from motive.tags import evaluate_tags
    from motive.training import copies_said, rows_said, rows_said_line, training_rows

    model = model_from(model)
    interviews, tables = list(interviews), training_rows(tables)
    if not all(isinstance(i, GoldInterview) for i in interviews):
        raise TypeError("evaluate() takes annotated interviews as read by motive.read_interviews(paths), not paths or text")
    if not interviews and not tables:
        raise ValueError("nothing to score: no annotated interviews and no text,label rows")
    gold_labels: list[str] = []
    predicted_labels: list[str] = []
    gold_starts: set = set()
    predicted_starts: set = set()
    terminal: list[bool] = []
    roles_right = 0
    results = annotate([i.unlabelled_transcript for i in interviews], model) if interviews else []
    for interview, result in zip(interviews, results):
        roles_right += set(find_interviewers(interview.transcript.turns)) == set(interview.interviewers)
        by_line = {a.line: a for a in result.answers}
        for answer in interview.answers:
            gold_labels.append(answer.label)
            predicted_labels.append(by_line[answer.line].label if answer.line in by_line else "none")
        gold_starts |= _chain_starts(interview.chains, [a.line for a in interview.answers], interview.id)
        predicted_starts |= _chain_starts([c.answers for c in result.chains], [a.line for a in result.answers], interview.id)
        terminal += terminal_hits(interview, result)
    report: dict = {}
    said = set(model.config.get("training", {}).get("said", ()))  # what the model learnt from (older models: not kept)
    trained_on = copies_said(said, interviews) + ([rows_said_line(rows, len(tables))] if (rows := rows_said(said, tables)) else [])
    if trained_on:
        report["trained_on"] = trained_on
    if interviews:
        report["interviews"] = len(interviews)
        report["labels"] = label_scores(gold_labels, predicted_labels)
        report["terminal_accuracy"] = round(float(np.mean(terminal)), 4) if terminal else None
        report["chains"] = len(terminal)
        report["chain_boundaries"] = boundary_scores(gold_starts, predicted_starts)
        report["role_accuracy"] = round(roles_right / len(interviews), 4)
        alone = [str(p) for p in model.predict([a.text for i in interviews for a in i.answers])]
        report["labels_without_context"] = label_scores(gold_labels, alone)
    if tables:
        texts, gold = zip(*tables)
        report["table"] = label_scores(gold, [str(p) for p in model.predict(list(texts))])
    if interviews and (tags := evaluate_tags(model, interviews)):  # a model with tags, interviews with driver=/discipline=
        report["tags"] = tags
    return report


def headline_figures(report: dict) -> dict:
    """The four figures the targets are set on, from an :func:`evaluate` report.

    >>> headline_figures({"labels": {"macro_f1_output_outcome": 0.9, "macro_f1_3way": 0.8},
    ...                   "terminal_accuracy": 0.7, "chain_boundaries": {"f1": 0.6}})
    {'output_vs_outcome': 0.9, 'three_way': 0.8, 'terminal_why': 0.7, 'chain_boundaries': 0.6}
    """
    return {
        "output_vs_outcome": report["labels"]["macro_f1_output_outcome"],
        "three_way": report["labels"]["macro_f1_3way"],
        "terminal_why": report["terminal_accuracy"],
        "chain_boundaries": report["chain_boundaries"]["f1"],
    }


def tag_line(name: str, scores: dict) -> str:
    """One value tag's figures (``report["tags"][name]``) in a line.

    >>> tag_line("driver", {"macro_f1": 0.5, "accuracy": 0.75, "answers": 4})
    'driver of gold outcome answers: macro-F1 0.500, accuracy 0.750 (4 answers)'
    """
    return f"{name} of gold outcome answers: macro-F1 {scores['macro_f1']:.3f}, accuracy {scores['accuracy']:.3f} ({scores['answers']} answers)"


def format_report(report: dict) -> str:
    """The evaluation as a plain-text table."""
    lines = []
    for name in ("labels", "table"):
        if name not in report:
            continue
        scores = report[name]
        title = "Answers in interviews" if name == "labels" else "Answers from text,label rows (no context)"
        lines += [f"{title}: {scores['answers']}", "", f"{'label':<10}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
        for label, row in scores["per_label"].items():
            lines.append(f"{label:<10}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}{row['support']:>10}")
        lines += ["", "confusion (rows: gold, columns: predicted)", " " * 10 + "".join(f"{label:>10}" for label in LABELS)]
        for label, row in zip(LABELS, scores["confusion"]["matrix"]):
            lines.append(f"{label:<10}" + "".join(f"{n:>10}" for n in row))
        lines += [
            "",
            f"macro-F1 output vs outcome  {scores['macro_f1_output_outcome']:.3f}",
            f"macro-F1 3-way              {scores['macro_f1_3way']:.3f}",
            f"accuracy                    {scores['accuracy']:.3f}",
            "",
        ]
        if name == "labels" and "labels_without_context" in report:
            alone = report["labels_without_context"]
            lines += [
                f"The same answers as bare texts (model.predict): macro-F1 output vs outcome "
                f"{alone['macro_f1_output_outcome']:.3f}, 3-way {alone['macro_f1_3way']:.3f}",
                "",
            ]
    if "terminal_accuracy" in report:
        boundaries = report["chain_boundaries"]
        lines += [
            f"terminal-why accuracy       {report['terminal_accuracy']:.3f}  ({counted(report['chains'], 'chain')})",
            f"chain-boundary F1           {boundaries['f1']:.3f}  (precision {boundaries['precision']:.3f}, recall {boundaries['recall']:.3f})",
            f"interviewer found           {report['role_accuracy']:.3f}  ({counted(report['interviews'], 'interview')})",
        ]
    return "\n".join(lines)
