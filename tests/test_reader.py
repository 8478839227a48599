"""The reader: its inputs, how its probabilities join the classifiers', and (slow) a real fine-tune."""

import hashlib
import json

import numpy as np
import pytest

from motive.chains import QUESTION_KINDS
from motive.embed import HashingEmbedder
from motive.errors import ModelError
from motive.features import AnswerContext
from motive.model import CONFIG_FILE, config_fingerprint, load_model
from motive.reader import CONTEXT_WORDS, READER_FILE, ReaderSettings, answer_pairs, context_pair, question_pairs

from tests.conftest import CORPUS, damaged_copy


def test_an_answer_is_read_with_its_question_and_the_next_question():
    pairs = answer_pairs(["We buy the tool.", "It saves us hours.", "Fine."], ["What do you buy?", None, "Anything else?"])
    assert pairs == [
        ("What do you buy?", "We buy the tool. [SEP] "),  # the next answer was given unasked
        ("", "It saves us hours. [SEP] Anything else?"),
        ("Anything else?", "Fine. [SEP] "),
    ]


def test_a_question_is_read_with_the_end_of_the_answer_before_and_the_start_of_its_reply():
    long_answer = " ".join(f"w{n}" for n in range(100))
    pairs = question_pairs([long_answer, long_answer, "Fine."], ["What do you buy?", "Why?", None])
    assert pairs[0] == (" [SEP] What do you buy?", " ".join(long_answer.split()[:CONTEXT_WORDS]))
    before, question = pairs[1][0].split(" [SEP] ")
    assert before.split() == long_answer.split()[-CONTEXT_WORDS:] and question == "Why?"
    assert pairs[2] is None  # no question asked: nothing to read


def test_an_answer_context_is_read_like_an_exchange():
    context = AnswerContext("It saves hours.", question="Why?", previous=("We buy the tool.",), next_question="And then?", in_interview=True)
    assert context_pair(context) == ("Why?", "It saves hours. [SEP] And then?")


def test_reader_settings_refuse_impossible_values():
    with pytest.raises(ValueError, match="epochs=0"):
        ReaderSettings(epochs=0)
    with pytest.raises(ValueError, match="learning_rate"):
        ReaderSettings(learning_rate=0)


def test_the_readers_question_kinds_are_averaged_column_by_column(small_model, interviews):
    """Kind probabilities come in QUESTION_KINDS order and are matched to the classifier's own classes."""
    from motive.features import question_rows
    from motive.model import EmbeddingCache

    interview = interviews[0]
    sentences = small_model.segmenter.sentences([a.text for a in interview.answers])
    rows = question_rows([a.question for a in interview.answers], sentences, EmbeddingCache(small_model.embedder), 256)
    for kind in QUESTION_KINDS:
        certain = np.zeros((len(rows), len(QUESTION_KINDS)))
        certain[:, QUESTION_KINDS.index(kind)] = 1.0
        assert set(small_model.question_kinds(rows, certain)) == {kind}


# --- with the real MiniLM: a fine-tune of one epoch on the five test interviews -------------------


@pytest.fixture(scope="module")
def reader_folder(tmp_path_factory):
    from motive.segment import Segmenter
    from motive.train import build_model

    folder = tmp_path_factory.mktemp("models") / "with-reader"
    build_model([CORPUS], folder, embedder=HashingEmbedder(256), segmenter=Segmenter("sentencizer"), reader=ReaderSettings(epochs=1, batch=8))
    return folder


@pytest.mark.slow
def test_fine_tuning_is_reproducible(reader_folder, tmp_path):
    from motive.segment import Segmenter
    from motive.train import build_model

    build_model([CORPUS], tmp_path / "again", embedder=HashingEmbedder(256), segmenter=Segmenter("sentencizer"), reader=ReaderSettings(epochs=1, batch=8))
    first, second = (hashlib.sha256((f / READER_FILE).read_bytes()).hexdigest() for f in (reader_folder, tmp_path / "again"))
    assert first == second == json.loads((reader_folder / CONFIG_FILE).read_text())["reader"]["sha256"]
    assert (reader_folder / READER_FILE).stat().st_size < 2 * 22_000_000  # two encoders in half precision, less the word embeddings


@pytest.mark.slow
def test_results_average_the_readers_probabilities_with_the_classifiers(reader_folder):
    from motive.pipeline import classify

    text = (CORPUS / "gym.txt").read_text()
    with_reader, alone = load_model(reader_folder), load_model(reader_folder, reader=False)
    assert with_reader.reader is not None and alone.reader is None
    assert config_fingerprint(with_reader.config) != config_fingerprint(alone.config)
    both, linear = classify(text, model=with_reader), classify(text, model=alone)
    # Here the reader does not move a chain (it votes on question kinds too), so each answer has the same context.
    assert [a.chain for a in both.answers] == [a.chain for a in linear.answers]
    [(read, _)] = with_reader.reader.read([([a.text for a in both.answers], [a.question for a in both.answers])])
    for answer, plain, row in zip(both.answers, linear.answers, read):
        for n, label in enumerate(with_reader.classes_):
            assert answer.probabilities[label] == pytest.approx((plain.probabilities[label] + row[n]) / 2, abs=2e-4)


@pytest.mark.slow
def test_what_the_reader_says_of_an_interview_does_not_depend_on_the_batch(reader_folder, interviews):
    reader = load_model(reader_folder).reader
    exchanges = [([a.text for a in i.answers], [a.question for a in i.answers]) for i in interviews]
    together = reader.read(exchanges[::-1])[::-1]
    for exchange, (labels, kinds) in zip(exchanges, together):
        [(alone_labels, alone_kinds)] = reader.read([exchange])
        np.testing.assert_array_equal(alone_labels, labels)
        np.testing.assert_array_equal(alone_kinds, kinds)


@pytest.mark.slow
def test_predict_proba_reads_answers_in_an_interview_and_leaves_bare_texts_to_the_classifier(reader_folder):
    from motive.reader import context_pair

    with_reader, alone = load_model(reader_folder), load_model(reader_folder, reader=False)
    in_interview = AnswerContext("It saves hours every week.", question="Why does that matter?", next_question="And then?", in_interview=True)
    bare = "It saves hours every week."
    read = with_reader.reader.predict("answers", [context_pair(in_interview)])[0]
    np.testing.assert_allclose(with_reader.predict_proba([in_interview])[0], (alone.predict_proba([in_interview])[0] + read) / 2, rtol=1e-6)
    np.testing.assert_array_equal(with_reader.predict_proba([bare]), alone.predict_proba([bare]))


@pytest.mark.slow
def test_a_changed_reader_file_is_refused(reader_folder, tmp_path):
    copy = damaged_copy(reader_folder, READER_FILE, tmp_path / "copy")
    with pytest.raises(ModelError, match="reader.safetensors does not match the sha256"):
        load_model(copy)
    assert load_model(copy, reader=False).reader is None  # the linear classifiers alone still load


def test_training_a_reader_needs_interviews(segmenter):
    from motive.train import train

    with pytest.raises(ValueError, match="the reader learns from annotated interviews"):
        train([], [("We need the manuals.", "output"), ("It saves money.", "outcome"), ("Hi.", "none")],
              embedder=HashingEmbedder(64), segmenter=segmenter, reader=ReaderSettings())
