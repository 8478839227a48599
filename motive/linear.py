"""Fitted linear classifiers as plain NumPy arithmetic.

motive predicts a few rows per transcript, many times over. For such small
inputs scikit-learn's checks of its input cost more than the arithmetic: a
calibrated classifier of five folds validates the same matrix a dozen times a
call. :func:`compile_proba` reads the coefficients out of a fitted
:class:`~sklearn.linear_model.LogisticRegression`, or a
:class:`~sklearn.calibration.CalibratedClassifierCV` over such with sigmoid
calibration, and computes the same probabilities with the same matrix products
(scikit-learn's own arithmetic, in the same order: the numbers agree to the
last bit). Any other estimator keeps its own ``predict_proba``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy as np

Proba = Callable[[np.ndarray], np.ndarray]

_compiled: WeakKeyDictionary = WeakKeyDictionary()  # fitted estimator → its Proba, or None


def predict_proba(estimator, matrix: np.ndarray) -> np.ndarray:
    """``estimator.predict_proba(matrix)``, as plain arithmetic where :func:`compile_proba` knows
    the estimator's kind (compiled once per estimator; motive never refits a fitted one)."""
    if estimator not in _compiled:
        _compiled[estimator] = compile_proba(estimator)
    compiled = _compiled[estimator]
    return compiled(matrix) if compiled is not None else estimator.predict_proba(matrix)


def compile_proba(estimator) -> Proba | None:
    """A function computing ``estimator.predict_proba`` (same columns, same order) without
    scikit-learn's input checks; None when the estimator's kind is not one this module knows,
    or when, on a few probe rows, its numbers are not exactly scikit-learn's (another release
    of scikit-learn may compute them differently)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    compiled: Proba | None = None
    if type(estimator) is LogisticRegression:
        compiled = _LogisticProba(estimator)
    elif type(estimator) is CalibratedClassifierCV and estimator.method == "sigmoid":
        folds = estimator.calibrated_classifiers_
        if all(type(f.estimator) is LogisticRegression for f in folds):
            compiled = _CalibratedProba(estimator.classes_, folds)
    if compiled is None:
        return None
    probe = np.random.default_rng(0).normal(scale=0.1, size=(4, estimator.n_features_in_)).astype(np.float32)
    return compiled if np.array_equal(compiled(probe), estimator.predict_proba(probe)) else None


class _Decision:
    """``LogisticRegression.decision_function`` as scikit-learn computes it, to the last bit:
    the same matrix product, in the coefficients' own dtype."""

    def __init__(self, estimator):
        self.coef_t, self.intercept = estimator.coef_.T, estimator.intercept_

    def __call__(self, matrix: np.ndarray) -> np.ndarray:
        return np.asarray(matrix) @ self.coef_t + self.intercept


class _LogisticProba:
    def __init__(self, estimator):
        self.decision = _Decision(estimator)

    def __call__(self, matrix: np.ndarray) -> np.ndarray:
        decision = self.decision(matrix)
        if decision.shape[1] == 1:
            positive = _expit(decision[:, 0])
            return np.column_stack([1 - positive, positive])
        return _softmax(decision)


@dataclass(frozen=True)
class _Fold:
    """One calibrated fold: its logistic regression's decision and the sigmoid calibrator of each decision column."""

    decision: _Decision
    slope: np.ndarray  # per decision column
    offset: np.ndarray
    targets: np.ndarray  # the class column each decision column calibrates


class _CalibratedProba:
    """The mean over folds of one-vs-rest sigmoid-calibrated decisions, normalised per row,
    as :meth:`sklearn.calibration.CalibratedClassifierCV.predict_proba` computes it."""

    def __init__(self, classes: np.ndarray, folds: list):
        self.n_classes = len(classes)
        self.folds = []
        for fold in folds:
            targets = np.searchsorted(classes, fold.estimator.classes_)
            if len(fold.estimator.coef_) == 1:  # binary: one decision column, for the second class
                targets = targets[1:]
            slope = np.asarray([c.a_ for c in fold.calibrators], dtype=np.float64)
            offset = np.asarray([c.b_ for c in fold.calibrators], dtype=np.float64)
            self.folds.append(_Fold(_Decision(fold.estimator), slope, offset, targets))

    def __call__(self, matrix: np.ndarray) -> np.ndarray:
        mean = np.zeros((len(matrix), self.n_classes))
        for fold in self.folds:
            proba = np.zeros_like(mean)
            proba[:, fold.targets] = _expit(-(fold.slope * fold.decision(matrix) + fold.offset))
            if self.n_classes == 2:
                proba[:, 0] = 1.0 - proba[:, 1]
            else:
                total = proba.sum(axis=1, keepdims=True)
                proba = np.divide(proba, total, out=np.full_like(proba, 1 / self.n_classes), where=total != 0)
            proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
            mean += proba
        return mean / len(self.folds)


def _expit(values: np.ndarray) -> np.ndarray:
    from scipy.special import expit

    return expit(values)


def _softmax(decision: np.ndarray) -> np.ndarray:
    shifted = np.exp(decision - decision.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)
