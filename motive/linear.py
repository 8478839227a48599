"""Fitted linear classifiers as plain NumPy arithmetic, and as arrays in a file.

motive predicts a few rows per transcript, many times over. For such small
inputs scikit-learn's checks of its input cost more than the arithmetic: a
calibrated classifier of five folds validates the same matrix a dozen times a
call. :func:`compile_proba` reads the coefficients out of a fitted
:class:`~sklearn.linear_model.LogisticRegression`, or a
:class:`~sklearn.calibration.CalibratedClassifierCV` over such with sigmoid
calibration, and computes the same probabilities with the same matrix products
(scikit-learn's own arithmetic, in the same order: the numbers agree to the
last bit). Any other estimator keeps its own ``predict_proba``.

:func:`save_linear` writes those coefficients to a safetensors file and
:func:`load_linear` reads them back as :class:`LinearClassifier` objects: a
model folder loads without unpickling anything and without importing
scikit-learn, whose import took 1.4 to 2.1 s of classifying one file from the
command line (BENCHMARKS.md, "The command line").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from weakref import WeakKeyDictionary

import numpy as np

from motive.errors import ModelError
from motive.features import RULES

Proba = Callable[[np.ndarray], np.ndarray]

_compiled: WeakKeyDictionary = WeakKeyDictionary()  # fitted estimator → its Proba, or None


def predict_proba(estimator, matrix: np.ndarray) -> np.ndarray:
    """``estimator.predict_proba(matrix)``, as plain arithmetic where :func:`compile_proba` knows
    the estimator's kind (compiled once per estimator; motive never refits a fitted one)."""
    if isinstance(estimator, LinearClassifier):
        return estimator.predict_proba(matrix)
    if estimator not in _compiled:
        _compiled[estimator] = compile_proba(estimator)
    compiled = _compiled[estimator]
    return compiled(matrix) if compiled is not None else estimator.predict_proba(matrix)


def compile_proba(estimator) -> Proba | None:
    """A function computing ``estimator.predict_proba`` (same columns, same order) without
    scikit-learn's input checks; None when the estimator's kind is not one this module knows,
    or when, on a few probe rows, its numbers are not exactly scikit-learn's (another release
    of scikit-learn may compute them differently)."""
    if isinstance(estimator, LinearClassifier):  # read back from a model folder: already compiled
        return estimator._proba
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    compiled: Proba | None = None
    if type(estimator) is LogisticRegression:
        compiled = _LogisticProba(_Decision.of(estimator))
    elif type(estimator) is CalibratedClassifierCV and estimator.method == "sigmoid":
        folds = estimator.calibrated_classifiers_
        if all(type(f.estimator) is LogisticRegression for f in folds):
            compiled = _CalibratedProba.of(estimator.classes_, folds)
    if compiled is None:
        return None
    probe = np.random.default_rng(0).normal(scale=0.1, size=(4, estimator.n_features_in_)).astype(np.float32)
    return compiled if np.array_equal(compiled(probe), estimator.predict_proba(probe)) else None


class _Decision:
    """``LogisticRegression.decision_function`` as scikit-learn computes it, to the last bit:
    the same matrix product, in the coefficients' own dtype (``coef`` as scikit-learn's ``coef_``)."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray):
        self.coef, self.coef_t, self.intercept = coef, coef.T, intercept

    @classmethod
    def of(cls, estimator) -> _Decision:
        return cls(estimator.coef_, estimator.intercept_)

    def __call__(self, matrix: np.ndarray) -> np.ndarray:
        return np.asarray(matrix) @ self.coef_t + self.intercept


class _LogisticProba:
    def __init__(self, decision: _Decision):
        self.decision = decision

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

    def __init__(self, n_classes: int, folds: list[_Fold]):
        self.n_classes = n_classes
        self.folds = folds

    @classmethod
    def of(cls, classes: np.ndarray, folds: list) -> _CalibratedProba:
        compiled = []
        for fold in folds:
            targets = np.searchsorted(classes, fold.estimator.classes_)
            if len(fold.estimator.coef_) == 1:  # binary: one decision column, for the second class
                targets = targets[1:]
            slope = np.asarray([c.a_ for c in fold.calibrators], dtype=np.float64)
            offset = np.asarray([c.b_ for c in fold.calibrators], dtype=np.float64)
            compiled.append(_Fold(_Decision.of(fold.estimator), slope, offset, targets))
        return cls(len(classes), compiled)

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


# --- the coefficients as arrays in a file ------------------------------------------------------


class LinearClassifier:
    """A fitted linear classifier read back from :func:`save_linear`'s file: its classes
    (``classes_``), its number of input columns (``n_features_in_``) and ``predict_proba``, the
    same numbers as the scikit-learn estimator it was saved from."""

    def __init__(self, classes: np.ndarray, n_features: int, proba: Proba):
        self.classes_ = classes
        self.n_features_in_ = n_features
        self._proba = proba

    def predict_proba(self, matrix: np.ndarray) -> np.ndarray:
        return self._proba(matrix)


def save_linear(estimators: dict, path: Path) -> list[str]:
    """Write the coefficients of those ``estimators`` (name → fitted estimator) that
    :func:`compile_proba` knows to a safetensors file; returns their names (none: no file)."""
    from safetensors.numpy import save

    tensors: dict[str, np.ndarray] = {}
    kinds: dict[str, dict] = {}
    for name, estimator in estimators.items():
        if getattr(estimator, "rule", None) in RULES:  # a rule has no numbers: its name says it all
            kinds[name] = {"kind": "rule", "rule": estimator.rule}
            continue
        compiled = compile_proba(estimator)
        if compiled is None:
            continue
        kinds[name] = {"classes": np.asarray(estimator.classes_).tolist(), "features": int(estimator.n_features_in_)}
        if isinstance(compiled, _LogisticProba):
            kinds[name]["kind"] = "logistic"
            tensors.update(_decision_tensors(f"{name}.", compiled.decision))
        else:
            kinds[name].update(kind="calibrated-sigmoid", folds=len(compiled.folds))
            for number, fold in enumerate(compiled.folds):
                prefix = f"{name}.fold{number}."
                tensors.update(_decision_tensors(prefix, fold.decision))
                tensors.update({prefix + "slope": fold.slope, prefix + "offset": fold.offset, prefix + "targets": fold.targets.astype(np.int64)})
    path.unlink(missing_ok=True)
    if kinds:
        # safetensors' save_file would create the file readable by its owner alone
        path.write_bytes(save({k: np.ascontiguousarray(v) for k, v in tensors.items()}, metadata={"classifiers": json.dumps(kinds, sort_keys=True)}))
    return sorted(kinds)


def load_linear(path: Path) -> dict[str, LinearClassifier]:
    """The classifiers :func:`save_linear` wrote, by name."""
    from safetensors import safe_open

    with safe_open(str(path), framework="numpy") as handle:
        kinds = json.loads(handle.metadata()["classifiers"])
        tensors = {key: handle.get_tensor(key) for key in handle.keys()}
    classifiers = {}
    for name, kind in kinds.items():
        if kind["kind"] == "rule" and kind.get("rule") in RULES:
            classifiers[name] = RULES[kind["rule"]]()
            continue
        if kind["kind"] not in ("logistic", "calibrated-sigmoid"):
            raise ModelError(f"{path}: classifier {name!r} is of a kind this motive does not know ({kind['kind']!r}); upgrade motive")
        classes = np.asarray(kind["classes"])
        if kind["kind"] == "logistic":
            proba: Proba = _LogisticProba(_decision_from(tensors, f"{name}."))
        else:
            folds = []
            for number in range(kind["folds"]):
                prefix = f"{name}.fold{number}."
                folds.append(_Fold(_decision_from(tensors, prefix), tensors[prefix + "slope"], tensors[prefix + "offset"], tensors[prefix + "targets"]))
            proba = _CalibratedProba(len(classes), folds)
        classifiers[name] = LinearClassifier(classes, kind["features"], proba)
    return classifiers


def _decision_tensors(prefix: str, decision: _Decision) -> dict[str, np.ndarray]:
    return {prefix + "coef": decision.coef, prefix + "intercept": np.asarray(decision.intercept)}


def _decision_from(tensors: dict[str, np.ndarray], prefix: str) -> _Decision:
    return _Decision(tensors[prefix + "coef"], tensors[prefix + "intercept"])
