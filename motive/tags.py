"""Value driver and value discipline of outcome answers (the optional tags of
``corpora/annotation-spec.md``).

- **value driver**: what kind of outcome the buyer wants — increase revenue,
  decrease cost, mitigate risk, or an emotional need;
- **value discipline**: what quality of the offer the answer weighs most —
  operational excellence, performance excellence or customer intimacy.

The corpus gives both tags on outcome answers only (``corpora/GUIDELINES.md`` §6),
so motive tags outcome answers only: output and none answers carry no driver and
no discipline. Two calibrated logistic regressions read the same feature rows as
the answer classifier (:func:`motive.features.answer_features`). A model folder
keeps them as the other classifiers are kept (:mod:`motive.model`): their
coefficients in ``linear.safetensors``, which loading reads, and the fitted
estimators in ``tags.joblib``, both hashed in ``config.json``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from motive.corpus import GoldInterview
from motive.labels import DISCIPLINES, DRIVERS
from motive.linear import predict_proba

TAGS_FILE = "tags.joblib"
#: Tag name → the values the corpus allows.
TAG_VALUES = {"driver": DRIVERS, "discipline": DISCIPLINES}


def fit_tags(
    matrix: np.ndarray, tags: dict[str, Sequence[str | None]], *, columns: int | None = None, folds: int = 5, C: float = 0.25, seed: int = 0
) -> dict:
    """One estimator per tag, fitted on the rows whose tag is given, and on the first ``columns``
    columns of ``matrix`` (all when None): a tag is a property of the answer itself.

    A tag with fewer than two values in the data gets no estimator. Probabilities
    are calibrated (sigmoid, ``folds`` folds) when every value has at least
    ``folds`` examples; otherwise the plain logistic regression's are used.
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    estimators = {}
    for name, values in tags.items():
        rows = [i for i, value in enumerate(values) if value]
        targets = np.asarray([values[i] for i in rows])
        counts = np.unique(targets, return_counts=True)[1]
        if len(counts) < 2:
            continue
        base = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)
        estimator = CalibratedClassifierCV(base, method="sigmoid", cv=folds) if counts.min() >= folds else base
        estimators[name] = estimator.fit(matrix[rows, :columns], targets)
    return estimators


def predict_tags(estimators: dict, matrix: np.ndarray) -> dict[str, list[tuple[str, float]]]:
    """Per tag, the most likely value of each row and its probability (each estimator reads the
    leading columns it was fitted on)."""
    predicted = {}
    for name, estimator in estimators.items():
        if len(matrix) == 0:
            predicted[name] = []
            continue
        proba = predict_proba(estimator, matrix[:, : estimator.n_features_in_])
        best = proba.argmax(axis=1)
        predicted[name] = [(str(estimator.classes_[b]), round(float(row[b]), 4)) for b, row in zip(best, proba)]
    return predicted


def gold_outcomes(interviews: Sequence[GoldInterview]) -> list[tuple[GoldInterview, int]]:
    """(interview, answer index) of every gold outcome answer that carries both tags."""
    return [
        (interview, i)
        for interview in interviews
        for i, answer in enumerate(interview.answers)
        if answer.label == "outcome" and answer.driver and answer.discipline
    ]


def tag_scores(gold: Sequence[str], predicted: Sequence[str], values: Sequence[str]) -> dict:
    """Macro-F1, accuracy and per-value F1 of one tag."""
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    _, _, f1, support = precision_recall_fscore_support(gold, predicted, labels=list(values), zero_division=0)
    return {
        "answers": len(gold),
        "macro_f1": round(float(f1_score(gold, predicted, labels=list(values), average="macro", zero_division=0)), 4),
        "accuracy": round(float(np.mean([g == p for g, p in zip(gold, predicted)])) if len(gold) else 0.0, 4),
        "per_value": {v: {"f1": round(float(f), 4), "support": int(s)} for v, f, s in zip(values, f1, support)},
    }


def evaluate_tags(model, interviews: Sequence[GoldInterview]) -> dict:
    """Driver and discipline scores on the gold outcome answers, each read in its gold context.

    Measures the tag classifiers alone: which answers are outcomes is taken from
    the gold labels, so a mislabelled answer does not count against them.
    """
    from motive.model import EmbeddingCache
    from motive.training import interview_contexts

    chosen = gold_outcomes(interviews)
    if not chosen or not model.tags:
        return {}
    by_interview: dict[int, list] = {}
    for interview, index in chosen:
        by_interview.setdefault(id(interview), [interview, []])[1].append(index)
    contexts, gold = [], {name: [] for name in TAG_VALUES}
    for interview, indices in by_interview.values():
        sentences = model.segmenter.sentences([a.text for a in interview.answers])
        all_contexts = interview_contexts(interview, sentences)
        for i in indices:
            contexts.append(all_contexts[i])
            gold["driver"].append(interview.answers[i].driver)
            gold["discipline"].append(interview.answers[i].discipline)
    predicted = predict_tags(model.tags, model.answer_matrix(contexts, EmbeddingCache(model.embedder)))
    return {name: tag_scores(gold[name], [v for v, _ in predicted[name]], TAG_VALUES[name]) for name in predicted}


def tag_baselines(train: Sequence[GoldInterview], test: Sequence[GoldInterview], seed: int = 0) -> dict:
    """Majority value and TF-IDF + logistic regression (answer text alone), per tag, on the same split."""
    from motive.baselines import tfidf_baseline

    train_answers = [interview.answers[i] for interview, i in gold_outcomes(train)]
    test_answers = [interview.answers[i] for interview, i in gold_outcomes(test)]
    scores = {}
    for name, values in TAG_VALUES.items():
        targets = [getattr(a, name) for a in train_answers]
        gold = [getattr(a, name) for a in test_answers]
        majority = max(values, key=targets.count)  # a tie goes to the value listed first, whatever the hash seed
        tfidf = tfidf_baseline(seed).fit([a.text for a in train_answers], targets)
        scores[name] = {
            "majority": tag_scores(gold, [majority] * len(gold), values),
            "tfidf_logistic_regression": tag_scores(gold, list(tfidf.predict([a.text for a in test_answers])), values),
        }
    return scores
