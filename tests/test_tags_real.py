"""Driver and discipline figures of the default model, measured again on the test split."""

import json
from pathlib import Path

import pytest

from motive.corpus import read_interviews
from motive.model import load_model
from motive.pipeline import classify
from motive.tags import evaluate_tags

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def model():
    return load_model(precision="fp32")  # the figures are recorded in fp32, as the model was trained


def test_bfloat16_keeps_the_tag_figures_within_a_point(model):
    """On CPUs with native bf16, classify embeds in bf16 by default; the tags barely move."""
    scores = evaluate_tags(load_model(precision="bf16"), read_interviews([ROOT / "corpora" / "interviews" / "test"]))
    recorded = model.config["metrics"]["tags"]
    for tag in ("driver", "discipline"):
        assert scores[tag]["macro_f1"] == pytest.approx(recorded[tag]["macro_f1"], abs=0.01)


def test_the_recorded_tag_figures_are_what_the_model_scores(model):
    scores = evaluate_tags(model, read_interviews([ROOT / "corpora" / "interviews" / "test"]))
    recorded = model.config["metrics"]["tags"]
    baselines = json.loads((ROOT / "models" / "default" / "baselines.json").read_text())["tags"]
    for tag in ("driver", "discipline"):
        assert scores[tag]["answers"] == 210
        assert scores[tag]["macro_f1"] == pytest.approx(recorded[tag]["macro_f1"], abs=1e-3)
        assert scores[tag]["macro_f1"] > baselines[tag]["tfidf_logistic_regression"]["macro_f1"] > baselines[tag]["majority"]["macro_f1"]


def test_the_tent_buyers_terminal_why_is_an_emotional_need(model):
    result = classify(ROOT / "examples" / "tent-purchase.txt", model=model)
    terminal = result.terminals[0]
    assert terminal.driver == "emotional-need" and 0 < terminal.driver_confidence <= 1
    assert all(a.driver is None for a in result.answers if a.label != "outcome")
