"""The fitted linear classifiers computed as plain arithmetic give scikit-learn's own probabilities."""

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression

from motive.linear import LinearClassifier, compile_proba, load_linear, predict_proba, save_linear


def data(classes: int, rows: int = 240, columns: int = 30, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, columns)).astype(np.float32)
    y = (X[:, :classes] + rng.normal(scale=0.8, size=(rows, classes))).argmax(axis=1)
    return X, np.asarray(["abc"[k] for k in y])


@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("calibrated", [False, True])
def test_the_same_probabilities_to_the_last_bit(classes, calibrated):
    X, y = data(classes)
    estimator = LogisticRegression(C=0.5, max_iter=500, class_weight="balanced")
    if calibrated:
        estimator = CalibratedClassifierCV(estimator, method="sigmoid", cv=4)
    estimator.fit(X[:200], y[:200])
    unseen = X[200:]
    compiled = compile_proba(estimator)
    assert compiled is not None
    assert np.array_equal(compiled(unseen), estimator.predict_proba(unseen))
    assert np.array_equal(predict_proba(estimator, unseen[:1]), estimator.predict_proba(unseen[:1]))


def test_the_coefficients_saved_as_arrays_give_the_same_probabilities(tmp_path):
    fitted = {}
    for classes in (2, 3):
        X, y = data(classes)
        fitted[f"plain{classes}"] = LogisticRegression(C=0.5, max_iter=500).fit(X[:200], y[:200])
        fitted[f"calibrated{classes}"] = CalibratedClassifierCV(LogisticRegression(max_iter=500), method="sigmoid", cv=3).fit(X[:200], y[:200] == "a" if classes == 2 else y[:200])
    fitted["isotonic"] = CalibratedClassifierCV(LogisticRegression(max_iter=500), method="isotonic", cv=3).fit(X, y)

    path = tmp_path / "linear.safetensors"
    assert save_linear(fitted, path) == ["calibrated2", "calibrated3", "plain2", "plain3"]  # not the isotonic one
    loaded = load_linear(path)
    unseen = data(3, seed=1)[0]
    for name, classifier in loaded.items():
        assert isinstance(classifier, LinearClassifier)
        assert classifier.classes_.tolist() == fitted[name].classes_.tolist()
        assert classifier.n_features_in_ == 30
        assert np.array_equal(predict_proba(classifier, unseen), fitted[name].predict_proba(unseen)), name

    digest = path.read_bytes()
    save_linear(fitted, path)
    assert path.read_bytes() == digest  # the same estimators, the same file
    assert save_linear({"isotonic": fitted["isotonic"]}, path) == [] and not path.exists()


def test_other_estimators_keep_their_own_predict_proba():
    X, y = data(3)
    isotonic = CalibratedClassifierCV(LogisticRegression(max_iter=500), method="isotonic", cv=3).fit(X, y)
    assert compile_proba(isotonic) is None
    assert np.array_equal(predict_proba(isotonic, X[:5]), isotonic.predict_proba(X[:5]))

    class Rules:
        classes_ = np.asarray([False, True])

        def predict_proba(self, matrix):
            return np.tile([0.25, 0.75], (len(matrix), 1))

    assert compile_proba(Rules()) is None
    assert predict_proba(Rules(), X[:2]).tolist() == [[0.25, 0.75], [0.25, 0.75]]


def test_every_estimator_of_the_default_model_is_computed_as_arithmetic():
    import joblib

    from motive.model import ESTIMATOR_FILE, default_model_path
    from motive.tags import TAGS_FILE

    folder = default_model_path()
    estimators = {**joblib.load(folder / ESTIMATOR_FILE), **joblib.load(folder / TAGS_FILE)}
    rows = np.random.default_rng(1).normal(scale=0.1, size=(7, max(e.n_features_in_ for e in estimators.values()))).astype(np.float32)
    for name, estimator in estimators.items():
        compiled = compile_proba(estimator)
        assert compiled is not None, name
        X = rows[:, : estimator.n_features_in_]
        assert np.array_equal(compiled(X), estimator.predict_proba(X)), name


def test_an_estimator_whose_numbers_differ_keeps_scikit_learns():
    X, y = data(3)
    estimator = LogisticRegression(max_iter=500).fit(X, y)
    own = estimator.predict_proba
    estimator.predict_proba = lambda matrix: own(matrix) * 0.5 + 0.5 / 3  # computes something else than the coefficients say
    assert compile_proba(estimator) is None
    assert np.array_equal(predict_proba(estimator, X[:3]), estimator.predict_proba(X[:3]))
