"""The reader: its inputs, how its probabilities join the classifiers', and (slow) a real fine-tune."""

import hashlib
import json
from dataclasses import asdict

import numpy as np
import pytest

from motive.chains import QUESTION_KINDS
from motive.embed import HashingEmbedder
from motive.errors import ModelError
from motive.features import AnswerContext
from motive.model import CONFIG_FILE, config_fingerprint, load_model
from motive.reader import (
    CONTEXT_WORDS,
    FROZEN,
    OLDER_READER_FILE,
    READER_FILES,
    Reader,
    ReaderSettings,
    answer_pairs,
    as_transcribed,
    context_pair,
    pack,
    question_pairs,
    reader_examples,
    unpack,
)

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


def test_an_answer_in_its_chain_is_read_with_the_question_asked_next_in_the_interview():
    from motive.features import chain_contexts

    answers = ["We bought the tent.", "It is light.", "I go further.", "We also got a stove."]
    questions = ["Why the tent?", "Why does that matter?", "And why is that important?", "Anything else you bought?"]
    contexts = chain_contexts(answers, [[a] for a in answers], questions, [0, 0, 0, 1])
    assert contexts[2].next_question is None  # the last answer of its chain
    assert [context_pair(c) for c in contexts] == answer_pairs(answers, questions)


def test_the_question_reader_also_learns_from_each_input_as_a_transcription_writes_it(interviews):
    plain = reader_examples(interviews)
    both = reader_examples(interviews, transcribed_questions=True)
    assert both["answers"] == plain["answers"]  # the answers part learns from the texts as written
    originals, copies = both["questions"][: len(plain["questions"])], both["questions"][len(plain["questions"]) :]
    assert originals == plain["questions"] and 0 < len(copies) <= len(originals)
    written = {pair for pair, _ in plain["questions"]}
    for (before, reply), _ in copies:
        words = before.replace(" [SEP] ", " ") + " " + reply  # the separator stays as the reader knows it
        assert words == words.lower() and not set("?.,") & set(words)
        assert (before, reply) not in written
    # Each copy keeps its question's kind: the first question of the first interview, copied.
    (first_before, first_reply), first_kind = plain["questions"][0]
    said_before, question = first_before.split(" [SEP] ")
    assert ((f"{as_transcribed(said_before)} [SEP] {as_transcribed(question)}", as_transcribed(first_reply)), first_kind) in copies


def test_an_interview_already_transcribed_adds_no_copies(interviews):
    from dataclasses import replace

    transcribed = [
        replace(i, answers=tuple(replace(a, text=as_transcribed(a.text), question=a.question and as_transcribed(a.question)) for a in i.answers))
        for i in interviews
    ]
    assert reader_examples(transcribed, transcribed_questions=True) == reader_examples(transcribed)



def test_a_reader_saved_before_the_transcribed_copies_says_it_learnt_without_them():
    older = {"epochs": 3, "learning_rate": 5e-05, "batch": 16, "seed": 0}
    assert Reader.load([], older, read_below=0.9).settings.transcribed_questions is False
    assert Reader.load([], {**older, "transcribed_questions": True}, read_below=0.9).settings.transcribed_questions is True
    assert ReaderSettings().transcribed_questions is True


def test_a_reader_saved_with_one_count_of_epochs_gave_it_to_both_parts():
    older = Reader.load([], {"epochs": 2, "learning_rate": 5e-05, "batch": 16, "seed": 0}, read_below=0.9).settings
    assert (older.epochs("answers"), older.epochs("questions")) == (2, 2)
    now = ReaderSettings()
    assert (now.epochs("answers"), now.epochs("questions")) == (4, 3)
    assert Reader.load([], asdict(now), read_below=0.9).settings == now


def test_reader_settings_refuse_impossible_values():
    with pytest.raises(ValueError, match="answer_epochs=0"):
        ReaderSettings(answer_epochs=0)
    with pytest.raises(ValueError, match="question_epochs=0"):
        ReaderSettings(question_epochs=0)
    with pytest.raises(ValueError, match="learning_rate"):
        ReaderSettings(learning_rate=0)


def test_a_packed_encoder_keeps_each_weight_within_half_a_step_of_its_row():
    import torch

    generator = torch.Generator().manual_seed(0)
    weight = (torch.randn(8, 16, generator=generator) * 0.05).half().float()  # so that a row left alone changes by nothing at all
    base = {"dense.weight": weight, "dense.bias": torch.randn(8, generator=generator), FROZEN: torch.ones(4, 2)}
    tuned = {name: weight + torch.randn(weight.shape, generator=generator) * 0.002 for name, weight in base.items()}
    tuned["dense.weight"][3] = base["dense.weight"][3]  # a row fine-tuning left alone
    stored = pack(tuned, base)
    assert set(stored) == {"dense.weight.delta", "dense.weight.scale", "dense.bias"}  # the frozen tensor comes from MiniLM
    assert stored["dense.weight.delta"].dtype == torch.int8 and stored["dense.weight.scale"].shape == (8, 1)
    assert stored["dense.bias"].dtype == torch.float16
    weights = unpack(stored, base)
    step = stored["dense.weight.scale"]
    assert ((weights["dense.weight"] - tuned["dense.weight"].half().float()).abs() <= step / 2 + 1e-7).all()
    assert torch.equal(weights["dense.weight"][3], base["dense.weight"][3])
    assert torch.equal(weights["dense.bias"], tuned["dense.bias"].half().float())
    # Weights already in half precision, as older reader files held them, pack to the same bytes.
    rounded = pack({name: weight.half().float() for name, weight in tuned.items()}, base)
    assert all(torch.equal(rounded[name], stored[name]) for name in stored)
    # An older file's whole tensors are taken as they are.
    assert torch.equal(unpack({"dense.weight": tuned["dense.weight"].half()}, base)["dense.weight"], tuned["dense.weight"].half().float())


def test_question_kind_probabilities_come_in_the_readers_column_order(small_model, interviews):
    """The classifier's kind probabilities are put in QUESTION_KINDS order, the reader's, so that they can be averaged."""
    from motive.features import question_rows
    from motive.model import EmbeddingCache, most_likely_kinds

    interview = interviews[0]
    sentences = small_model.segmenter.sentences([a.text for a in interview.answers])
    rows = question_rows([a.question for a in interview.answers], sentences, EmbeddingCache(small_model.embedder), 256)
    estimator = small_model.estimators["question"]
    assert list(estimator.classes_) != list(QUESTION_KINDS)  # (alphabetical): the columns must be moved
    proba = small_model.question_proba(rows)
    assert most_likely_kinds(proba) == [str(kind) for kind in estimator.predict(rows)]
    np.testing.assert_allclose(proba.sum(axis=1), 1)


def test_the_reader_reads_where_the_classifiers_most_likely_class_is_below_its_threshold():
    from motive.reader import Reader

    proba = np.array([[0.5, 0.3, 0.2], [0.95, 0.03, 0.02], [0.1, 0.1, 0.8], [1.0, 0.0, 0.0]])
    assert Reader({}, ReaderSettings(), read_below=0.9).reads(proba).tolist() == [True, False, True, False]
    assert Reader({}, ReaderSettings(), read_below=1.0).reads(proba).tolist() == [True] * 4  # 1: everything
    with pytest.raises(ValueError, match="read_below=0"):
        Reader({}, ReaderSettings(), read_below=0)


# --- with the real MiniLM: a fine-tune of one epoch on the five test interviews -------------------


@pytest.fixture(scope="module")
def reader_folder(tmp_path_factory):
    from motive.segment import Segmenter
    from motive.training import build_model

    folder = tmp_path_factory.mktemp("models") / "with-reader"
    build_model([CORPUS], folder, embedder=HashingEmbedder(256), segmenter=Segmenter("sentencizer"), reader=ReaderSettings(answer_epochs=1, question_epochs=1, batch=8))
    return folder


@pytest.mark.slow
def test_a_cached_fine_tune_is_read_instead_of_run_again_and_gives_the_same_files(reader_folder, tmp_path, caplog):
    from motive.segment import Segmenter
    from motive.training import build_model

    def build(name) -> int:
        batches = []
        build_model([CORPUS], tmp_path / name, embedder=HashingEmbedder(256), segmenter=Segmenter("sentencizer"),
                    reader=ReaderSettings(answer_epochs=1, question_epochs=1, batch=8), reader_cache=tmp_path / "cache", progress=lambda done, total: batches.append(done))
        return len(batches)

    assert build("first") > 0
    assert len(list((tmp_path / "cache").glob("reader-*.safetensors"))) == 1
    assert build("second") == 0  # no batch fine-tuned: read from the cache
    [cached] = (tmp_path / "cache").glob("reader-*.safetensors")
    cached.write_bytes(b"not a fine-tune")
    assert build("third") > 0 and f"{cached} is not a readable fine-tune" in caplog.text
    for name in READER_FILES.values():
        assert {hashlib.sha256((f / name).read_bytes()).hexdigest() for f in (reader_folder, tmp_path / "first", tmp_path / "second", tmp_path / "third")} == {
            hashlib.sha256((reader_folder / name).read_bytes()).hexdigest()}


@pytest.mark.slow
def test_a_cache_that_cannot_be_written_still_gives_the_fine_tuned_model(reader_folder, tmp_path, caplog):
    from motive.segment import Segmenter
    from motive.training import build_model

    blocked = tmp_path / "a-file"
    blocked.write_text("")
    build_model([CORPUS], tmp_path / "m", embedder=HashingEmbedder(256), segmenter=Segmenter("sentencizer"),
                reader=ReaderSettings(answer_epochs=1, question_epochs=1, batch=8), reader_cache=blocked)
    assert f"the fine-tuned reader could not be kept in {blocked}" in caplog.text
    name = READER_FILES["answers"]
    assert (tmp_path / "m" / name).read_bytes() == (reader_folder / name).read_bytes()


@pytest.mark.slow
def test_a_fine_tune_is_keyed_by_its_examples_settings_and_code(interviews, monkeypatch):
    import motive.reader
    from motive.reader import fine_tune_key

    examples = reader_examples(interviews)
    key = fine_tune_key(examples, ReaderSettings())
    assert key == fine_tune_key(reader_examples(interviews), ReaderSettings())
    assert key != fine_tune_key(examples, ReaderSettings(seed=1))
    fewer = {task: rows[1:] for task, rows in examples.items()}
    assert key != fine_tune_key(fewer, ReaderSettings())
    relabelled = {**examples, "answers": [(pair, (label + 1) % 3) if n == 0 else (pair, label) for n, (pair, label) in enumerate(examples["answers"])]}
    assert key != fine_tune_key(relabelled, ReaderSettings())

    def another_fine_tune(rows, classes, epochs, settings, tick):
        raise NotImplementedError

    monkeypatch.setattr(motive.reader, "_fine_tune", another_fine_tune)
    assert key != fine_tune_key(examples, ReaderSettings())  # a fine-tune changed in code is not read from the cache


@pytest.mark.slow
def test_fine_tuning_is_reproducible(reader_folder, tmp_path):
    from motive.segment import Segmenter
    from motive.training import build_model

    build_model([CORPUS], tmp_path / "again", embedder=HashingEmbedder(256), segmenter=Segmenter("sentencizer"), reader=ReaderSettings(answer_epochs=1, question_epochs=1, batch=8))
    files = json.loads((reader_folder / CONFIG_FILE).read_text())["reader"]["files"]
    for task, name in READER_FILES.items():
        first, second = (hashlib.sha256((f / name).read_bytes()).hexdigest() for f in (reader_folder, tmp_path / "again"))
        assert first == second == files[task]["sha256"]
        assert (reader_folder / name).stat().st_size < 12_000_000  # an encoder's change in int8, less the word embeddings
    assert not (reader_folder / OLDER_READER_FILE).exists()


@pytest.mark.slow
def test_results_average_the_readers_probabilities_with_the_classifiers_where_they_are_unsure(reader_folder):
    from motive.pipeline import classify

    text = (CORPUS / "gym.txt").read_text()
    alone = load_model(reader_folder, reader=False)
    linear = classify(text, model=alone)
    sure = [max(a.probabilities.values()) for a in linear.answers]
    with_reader = load_model(reader_folder, read_below=float(np.median(sure)))  # some answers read, some not
    assert with_reader.reader is not None and alone.reader is None
    fingerprints = {config_fingerprint(m.config) for m in (with_reader, alone, load_model(reader_folder, read_below=1.0))}
    assert len(fingerprints) == 3  # results read otherwise are never mixed on --resume
    both = classify(text, model=with_reader)
    # Here the reader does not move a chain (it votes on question kinds too), so each answer has the same context.
    assert [a.chain for a in both.answers] == [a.chain for a in linear.answers]
    read = with_reader.reader.predict("answers", answer_pairs([a.text for a in both.answers], [a.question for a in both.answers]))
    unsure = [s < with_reader.reader.read_below for s in sure]
    assert 0 < sum(unsure) < len(unsure)
    for answer, plain, row, was_read in zip(both.answers, linear.answers, read, unsure):
        for n, label in enumerate(with_reader.classes_):
            expected = (plain.probabilities[label] + row[n]) / 2 if was_read else plain.probabilities[label]
            assert answer.probabilities[label] == pytest.approx(expected, abs=2e-4)


@pytest.mark.slow
def test_what_the_reader_says_of_an_exchange_does_not_depend_on_the_batch(reader_folder, interviews):
    reader = load_model(reader_folder).reader
    exchanges = [([a.text for a in i.answers], [a.question for a in i.answers]) for i in interviews]
    for task, pairs_of in (("answers", answer_pairs), ("questions", question_pairs)):
        pairs = [[p for p in pairs_of(*exchange) if p is not None] for exchange in exchanges]
        together = reader.predict(task, [p for group in pairs[::-1] for p in group])
        start = 0
        for group in pairs[::-1]:
            np.testing.assert_array_equal(reader.predict(task, group), together[start : start + len(group)])
            start += len(group)


@pytest.mark.slow
def test_predict_proba_reads_answers_in_an_interview_and_leaves_bare_texts_to_the_classifier(reader_folder):
    from motive.reader import context_pair

    with_reader, alone = load_model(reader_folder, read_below=1.0), load_model(reader_folder, reader=False)  # the reader reads everything
    in_interview = AnswerContext("It saves hours every week.", question="Why does that matter?", next_question="And then?", in_interview=True)
    bare = "It saves hours every week."
    read = with_reader.reader.predict("answers", [context_pair(in_interview)])[0]
    np.testing.assert_allclose(with_reader.predict_proba([in_interview])[0], (alone.predict_proba([in_interview])[0] + read) / 2, rtol=1e-6)
    np.testing.assert_array_equal(with_reader.predict_proba([bare]), alone.predict_proba([bare]))


@pytest.mark.slow
def test_a_changed_reader_file_is_refused(reader_folder, tmp_path):
    copy = damaged_copy(reader_folder, READER_FILES["questions"], tmp_path / "copy")
    with pytest.raises(ModelError, match="reader-questions.safetensors does not match the sha256"):
        load_model(copy)
    assert load_model(copy, reader=False).reader is None  # the linear classifiers alone still load


@pytest.mark.slow
def test_a_folder_whose_reader_is_one_file_of_whole_tensors_still_loads(reader_folder, interviews, tmp_path):
    """Model folders written before the reader was stored as changes from MiniLM keep working."""
    import shutil

    from safetensors.torch import save_file

    from motive.embed import sha256_file

    folder = shutil.copytree(reader_folder, tmp_path / "older")
    reader = load_model(reader_folder).reader
    whole = {}
    for task in READER_FILES:
        network = reader.network(task)
        whole.update({f"{task}.encoder.{k}": v.half() for k, v in network.encoder.state_dict().items() if k != FROZEN})
        whole.update({f"{task}.head.{k}": v for k, v in network.head.state_dict().items()})
        (folder / READER_FILES[task]).unlink()
    save_file({k: v.contiguous() for k, v in whole.items()}, str(folder / OLDER_READER_FILE))
    config = json.loads((folder / CONFIG_FILE).read_text())
    config["reader"] = {k: v for k, v in config["reader"].items() if k != "files"}
    config["reader"].update(file=OLDER_READER_FILE, sha256=sha256_file(folder / OLDER_READER_FILE))
    (folder / CONFIG_FILE).write_text(json.dumps(config))
    older = load_model(folder).reader
    pairs = [p for i in interviews for p in answer_pairs([a.text for a in i.answers], [a.question for a in i.answers])]
    np.testing.assert_allclose(older.predict("answers", pairs), reader.predict("answers", pairs), atol=0.01)
    # Rescoring it leaves its file as it is, and its card says how that file stores the reader.
    from motive.training import rescore_model

    rescore_model(folder, [CORPUS], [CORPUS], read_below=config["reader"]["read_below"])
    rescored = json.loads((folder / CONFIG_FILE).read_text())["reader"]
    assert (rescored["file"], rescored["sha256"]) == (config["reader"]["file"], config["reader"]["sha256"]) and "files" not in rescored
    card = (folder / "MODEL_CARD.md").read_text()
    assert "Both are stored whole, in half precision:" in card and f"`{OLDER_READER_FILE}`, sha256" in card


def test_training_a_reader_needs_interviews(segmenter):
    from motive.training import train

    with pytest.raises(ValueError, match="the reader learns from annotated interviews"):
        train([], [("We need the manuals.", "output"), ("It saves money.", "outcome"), ("Hi.", "none")],
              embedder=HashingEmbedder(64), segmenter=segmenter, reader=ReaderSettings())


@pytest.mark.slow
def test_rescoring_a_model_rewrites_its_figures_and_keeps_its_trained_files(reader_folder, tmp_path):
    import shutil

    from motive.training import rescore_model

    folder = shutil.copytree(reader_folder, tmp_path / "model")
    before = json.loads((folder / CONFIG_FILE).read_text())
    trained = {name: (folder / name).read_bytes() for name in (*READER_FILES.values(), before["estimator"]["file"])}
    model, report = rescore_model(folder, [CORPUS], [CORPUS], read_below=0.5)
    after = json.loads((folder / CONFIG_FILE).read_text())
    assert after["reader"]["read_below"] == 0.5 and load_model(folder).reader.read_below == 0.5
    assert {name: (folder / name).read_bytes() for name in trained} == trained
    assert after["training"] == before["training"] and after["metrics"]["terminal_accuracy"] == report["terminal_accuracy"]
    assert "a probability of 0.5 or more" in (folder / "MODEL_CARD.md").read_text()
    assert "as automatic transcription writes it" in (folder / "MODEL_CARD.md").read_text()
    assert after["reader"]["settings"]["transcribed_questions"] is True


@pytest.mark.slow
def test_rescoring_an_older_folder_writes_the_reader_entry_as_training_does(reader_folder, tmp_path):
    """A folder from before ``read_below`` was recorded gets it where training puts it, so that a
    retrain and a rescore of the same model give the same config.json."""
    import shutil

    from motive.training import rescore_model

    folder = shutil.copytree(reader_folder, tmp_path / "model")
    trained = json.loads((folder / CONFIG_FILE).read_text())
    older = {**trained, "reader": {k: v for k, v in trained["reader"].items() if k != "read_below"}}
    (folder / CONFIG_FILE).write_text(json.dumps(older, indent=2) + "\n")
    rescore_model(folder, [CORPUS], [CORPUS], read_below=trained["reader"]["read_below"])
    assert json.loads((folder / CONFIG_FILE).read_text())["reader"] == trained["reader"]
    assert list(json.loads((folder / CONFIG_FILE).read_text())["reader"]) == list(trained["reader"])
