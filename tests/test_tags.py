"""Value driver and value discipline of outcome answers: training, results, saving and verified loading."""

import json
import shutil

import pytest

from motive.corpus import DISCIPLINES, DRIVERS
from motive.errors import ModelError
from motive.model import CONFIG_FILE, load_model
from motive.pipeline import classify
from motive.tags import TAGS_FILE, fit_tags, predict_tags, tag_scores

GUM = """Q: What did you buy?
A: A pack of gum.
Q: Why did you buy it?
A: I want to feel confident in meetings again, nobody stepping back when I talk.
"""


def test_the_small_model_learns_both_tags(small_model):
    assert set(small_model.tags) == {"driver", "discipline"}
    tags = small_model.predict_tags(["More money in my pocket at the end of the day."])
    assert tags["driver"][0][0] in DRIVERS and 0 < tags["driver"][0][1] <= 1
    assert tags["discipline"][0][0] in DISCIPLINES


def test_only_outcome_answers_carry_tags(small_model):
    from motive.pipeline import classify_many
    from tests.conftest import CORPUS

    answers = [a for result in classify_many(sorted(CORPUS.glob("*.txt")), model=small_model) for a in result.answers]
    for answer in answers:
        if answer.label == "outcome":
            assert answer.driver in DRIVERS and answer.discipline in DISCIPLINES
            assert 0 < answer.driver_confidence <= 1 and 0 < answer.discipline_confidence <= 1
        else:
            assert answer.driver is None and answer.discipline is None
    assert any(a.label == "outcome" for a in answers)


def test_a_tag_with_one_value_gets_no_estimator():
    import numpy as np

    matrix = np.random.default_rng(0).normal(size=(6, 4))
    estimators = fit_tags(matrix, {"driver": ["decrease-cost"] * 6, "discipline": ["operational", "intimacy", None] * 2}, folds=2)
    assert set(estimators) == {"discipline"}
    assert [v for v, _ in predict_tags(estimators, matrix)["discipline"]][:2] == ["operational", "intimacy"]


def test_tag_scores_are_macro_f1_over_the_allowed_values():
    scores = tag_scores(["operational", "intimacy"], ["operational", "operational"], DISCIPLINES)
    assert scores["accuracy"] == 0.5
    assert scores["macro_f1"] == pytest.approx((2 / 3 + 0 + 0) / 3, abs=1e-4)


def test_tags_are_saved_hashed_and_verified(model_folder, tmp_path):
    config = json.loads((model_folder / CONFIG_FILE).read_text())
    assert config["tags"]["file"] == TAGS_FILE and len(config["tags"]["sha256"]) == 64
    assert set(load_model(model_folder).tags) == {"driver", "discipline"}

    tampered = tmp_path / "tampered"
    shutil.copytree(model_folder, tampered)
    with open(tampered / TAGS_FILE, "ab") as stream:
        stream.write(b"\0")
    with pytest.raises(ModelError, match="tags.joblib does not match the sha256"):
        load_model(tampered)


def test_a_model_without_tags_still_loads(model_folder, tmp_path):
    """Model folders written before tags existed have no ``tags`` entry: they load, without tags."""
    old = tmp_path / "old"
    shutil.copytree(model_folder, old)
    config = json.loads((old / CONFIG_FILE).read_text())
    del config["tags"]
    (old / CONFIG_FILE).write_text(json.dumps(config))
    (old / TAGS_FILE).unlink()
    model = load_model(old)
    assert model.tags == {}
    assert all(a.driver is None for a in classify(GUM, model=model).answers)
