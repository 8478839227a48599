import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from motive.embed import HashingEmbedder, windows
from motive.errors import ModelError
from motive.features import AnswerContext, answer_features, chain_contexts, own_width
from motive.model import CONFIG_FILE, ESTIMATOR_FILE, LINEAR_FILE, config_fingerprint, load_model
from motive.training import TrainingSettings, train

from tests.conftest import damaged_copy


def test_predict_takes_plain_texts_and_contexts(small_model):
    texts = ["We need the manuals in Japanese.", "More money in my pocket at the end of the month."]
    proba = small_model.predict_proba(texts)
    assert proba.shape == (2, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert set(small_model.predict(texts)) <= {"output", "outcome", "none"}
    in_context = AnswerContext(texts[0], question="Why did you buy it?", depth=0, in_interview=True)
    assert small_model.predict_proba([in_context]).shape == (1, 3)
    assert list(small_model.classes_) == ["output", "outcome", "none"]


def test_empty_answers_get_a_label_and_one_string_is_refused(small_model):
    assert small_model.predict(["", "   ", "It was cheaper."]).shape == (3,)
    assert list(small_model.predict(np.array(["It was cheaper.", "We sleep better."]))) == list(small_model.predict(["It was cheaper.", "We sleep better."]))
    with pytest.raises(TypeError, match="list of answers"):
        small_model.predict("It was cheaper.")


def test_an_answer_is_read_with_what_follows_it_in_its_chain():
    texts = ["We bought the dosing pumps.", "Nobody gets caustic in the eye.", "Hi."]
    sentences = [[t] for t in texts]
    questions = ["Why did you buy them?", "Why does that matter?", "How are you?"]
    first, second, aside = chain_contexts(texts, sentences, questions, [0, 0, None])
    assert (first.next_question, first.following) == ("Why does that matter?", ("Nobody gets caustic in the eye.",))
    assert (second.previous, second.next_question, second.following, second.depth) == (("We bought the dosing pumps.",), None, (), 1)
    assert not aside.has_next and aside.depth == -1

    # The answer's own columns come first and do not depend on what follows; the rest does.
    embedder = HashingEmbedder(64)
    vector = lambda text: embedder.embed([text])[0]  # noqa: E731
    moved_on = AnswerContext(first.text, first.sentences, first.question, (), 0, True, "Anything else?", ("The price.",))
    dug_in, changed = answer_features(first, vector, 64), answer_features(moved_on, vector, 64)
    own = own_width(64)
    np.testing.assert_array_equal(dug_in[:own], changed[:own])
    assert not np.array_equal(dug_in[own:], changed[own:])


def test_a_terminal_candidate_is_read_with_its_question_and_the_question_asked_after_it(small_model):
    from motive.features import TERMINAL_SCALARS, terminal_features

    dimension = 4
    means = np.eye(5, dimension, dtype=np.float32)
    asked = np.arange(5 * dimension, dtype=np.float32).reshape(5, dimension)
    asked[0] = 0  # the chain's first answer came without a question
    chain, candidates = [0, 2, 4], [2, 4]  # answers 1 and 3 are asides between the chain's answers
    rows = terminal_features(chain, candidates, np.full(5, 0.9), means, [5] * 5, asked)
    assert rows.shape == (2, TERMINAL_SCALARS + 3 * dimension)
    said, answering, next_asked = np.split(rows[:, TERMINAL_SCALARS:], 3, axis=1)
    np.testing.assert_array_equal(said, means[candidates])
    np.testing.assert_array_equal(answering, asked[candidates])
    np.testing.assert_array_equal(next_asked[0], asked[4])  # the chain went on from answer 2 with the question of answer 4
    assert not next_asked[1].any()  # answer 4 ends the chain: nothing was asked in it after it
    np.testing.assert_array_equal(rows[:, :TERMINAL_SCALARS], terminal_features(chain, candidates, np.full(5, 0.9), means, [5] * 5))

    # A terminal classifier trained on the scalars alone (a model saved before the embeddings were
    # added) reads the scalars of the wider rows and scores them as it did.
    from sklearn.linear_model import LogisticRegression

    scalars_only = LogisticRegression().fit(np.random.default_rng(0).normal(size=(20, TERMINAL_SCALARS)), [True, False] * 10)
    kept = small_model.estimators["terminal"]
    try:
        small_model.estimators["terminal"] = scalars_only
        np.testing.assert_allclose(small_model.terminal_scores(rows), scalars_only.predict_proba(rows[:, :TERMINAL_SCALARS])[:, 1])
    finally:
        small_model.estimators["terminal"] = kept


def test_the_terminal_classifier_ranks_the_outcomes_of_one_chain_against_each_other():
    from motive.features import LastOutcome
    from motive.training import fit_terminal, ranking_pairs

    # Column 0 sets each chain's level (which says nothing about which answer is terminal);
    # column 1 is what tells the terminal from the other candidates of its chain.
    rng = np.random.default_rng(0)

    def chain(level, size):
        rows = np.column_stack([np.full(size, level), rng.normal(size=size)]).astype(np.float32)
        terminal = int(np.argmax(rows[:, 1]))
        return rows, [i == terminal for i in range(size)]

    chains = [chain(level, size) for level, size in zip(rng.normal(scale=5, size=60), rng.integers(2, 5, size=60))]
    blocks, flags = [rows for rows, _ in chains], [block_flags for _, block_flags in chains]
    differences, better = ranking_pairs(blocks, flags)
    pairs = sum(len(rows) - 1 for rows in blocks)
    assert differences.shape == (2 * pairs, 2) and better.sum() == pairs
    np.testing.assert_array_equal(differences[::2], -differences[1::2])  # the level cancels in every pair
    assert not differences[:, 0].any()

    ranker = fit_terminal(blocks, flags, TrainingSettings())
    assert ranker.intercept_.tolist() == [0.0] and ranker.coef_[0, 1] > 0
    for rows, block_flags in (chain(level, 4) for level in (-20.0, 0.0, 20.0)):
        assert block_flags[int(np.argmax(ranker.predict_proba(rows)[:, 1]))]

    # Chains of one outcome answer have nothing to rank: the last-outcome rule stands in.
    assert isinstance(fit_terminal([np.ones((1, 2))], [[True]], TrainingSettings()), LastOutcome)


def test_training_learns_the_hand_written_labels(small_model, interviews):
    # Trained and scored on the same tiny corpus: a check that fitting works, not a measure of quality.
    gold = [a.label for i in interviews for a in i.answers]
    predicted = small_model.predict([a.text for i in interviews for a in i.answers])
    assert np.mean(predicted == np.asarray(gold)) > 0.8


def test_settings_are_validated():
    with pytest.raises(ValueError, match="C=0"):
        TrainingSettings(C=0)
    with pytest.raises(ValueError, match="calibration='platt'"):
        TrainingSettings(calibration="platt")


def test_training_without_an_outcome_label_fails(segmenter):
    with pytest.raises(ValueError, match="no answer labelled outcome"):
        train([], [("cheap", "output"), ("hi", "none")], embedder=HashingEmbedder(32), segmenter=segmenter)


def test_training_rows_are_checked_as_files_are(segmenter):
    rows = [("cheap", "output"), ("hi", "none"), ("more money for me", "outcome")] * 5
    model = train([], rows + [("faster delivery", " Output ")], embedder=HashingEmbedder(32), segmenter=segmenter)
    assert list(model.classes_) == ["output", "outcome", "none"]
    assert np.allclose(model.predict_proba(["cheap"]).sum(axis=1), 1)
    for bad, problem in [(("money", "outcom"), "row 15: label 'outcom' is not one of"), (("  ", "none"), "row 15: the row has no text"),
                         (("money",), "row 15: .* is not a .text, label. pair"), (("money", None), "row 15: label None")]:
        with pytest.raises(ValueError, match=problem):
            train([], rows + [bad], embedder=HashingEmbedder(32), segmenter=segmenter)
    with pytest.raises(ValueError, match="too little training data: each label needs at least 5 rows"):
        train([], rows[:6], embedder=HashingEmbedder(32), segmenter=segmenter)
    with pytest.raises(TypeError, match="motive.read_interviews"):
        train(["corpora/interviews/train"], embedder=HashingEmbedder(32), segmenter=segmenter)


def test_evaluate_takes_a_model_folder_and_refuses_nothing_to_score(model_folder, interviews):
    import motive

    report = motive.evaluate(str(model_folder), interviews, [("It packs down small.", "Output")])
    assert report["interviews"] == 5 and report["table"]["answers"] == 1
    with pytest.raises(ValueError, match="nothing to score"):
        motive.evaluate(model_folder, [])
    with pytest.raises(TypeError, match="motive.read_interviews"):
        motive.evaluate(model_folder, ["corpora/interviews/dev"])


def test_train_records_the_label_map_it_read_the_labels_with(segmenter, tmp_path):
    from motive.training import build_model

    rows = tmp_path / "rows.csv"
    rows.write_text("text,label\n" + "".join(f"It has {n} more litres of tank,feature\nI save {n} euros a week,benefit\nhello {n},none\n" for n in range(6)))
    build_model([rows], tmp_path / "m", embedder=HashingEmbedder(64), segmenter=segmenter, label_map={"feature": "output", "benefit": "outcome"})
    training = json.loads((tmp_path / "m" / CONFIG_FILE).read_text())["training"]
    assert training["label_map"] == {"benefit": "outcome", "feature": "output"} and len(training["labels_sha256"]) == 64


def test_evaluate_says_when_the_model_learnt_from_the_data(model_folder, interviews, tmp_path):
    import motive
    from click.testing import CliRunner

    from motive.cli import main
    from tests.conftest import CORPUS

    config = json.loads((model_folder / CONFIG_FILE).read_text())
    assert config["training"]["said"] == sorted(config["training"]["said"]) and all(len(d) == 10 for d in config["training"]["said"])
    report = motive.evaluate(model_folder, interviews, [("It packs down small and weighs next to nothing.", "output")])
    assert report["trained_on"] == [i.transcript.source for i in interviews]  # every interview it was trained on
    renamed = tmp_path / "someone-else.txt"  # a copy under another name and id is still the same interview
    text = (CORPUS / "gum.txt").read_text()
    renamed.write_text(text.replace("id: ", "id: someone-else-", 1) if "id: " in text else text)
    runner = CliRunner()
    copied = runner.invoke(main, ["evaluate", str(renamed), "--model", str(model_folder)])
    assert copied.exit_code == 0 and "warning: the model learnt from all of this data (" in copied.stderr and "these figures are not held out" in copied.stderr
    table = tmp_path / "new.csv"
    table.write_text("text,label\nWe finally stopped losing our best drivers to the competition.,outcome\n")
    held_out = runner.invoke(main, ["evaluate", str(table), "--model", str(model_folder)])
    assert held_out.exit_code == 0 and "learnt from" not in held_out.stderr
    said = [a.text for a in interviews[0].answers if len(a.text.split()) >= 4][:3]
    table.write_text("text,label\n" + "".join(f'"{text}",output\n' for text in said))
    rows = runner.invoke(main, ["evaluate", str(table), "--model", str(model_folder)])
    assert rows.exit_code == 0 and f"warning: the model learnt from all of this data (3 of its 3 text,label rows" in rows.stderr
    older = tmp_path / "older"  # a model from before motive kept what it learnt from
    shutil.copytree(model_folder, older)
    config["training"].pop("said")
    (older / CONFIG_FILE).write_text(json.dumps(config))
    unknown = runner.invoke(main, ["evaluate", str(table), "--model", str(older)])
    assert unknown.exit_code == 0 and "whether these figures are held out cannot be told" in unknown.stderr and "learnt from all" not in unknown.stderr


def test_read_interviews_takes_one_path_as_text(interviews):
    from motive import read_interviews
    from tests.conftest import CORPUS

    assert [i.id for i in read_interviews(str(CORPUS))] == [i.id for i in interviews]


def test_a_model_folder_is_verified_before_loading(model_folder, tmp_path):
    config = json.loads((model_folder / CONFIG_FILE).read_text())
    assert config["labels"] == ["output", "outcome", "none"]
    assert config["embedding"]["model"] == "hashing-256"
    assert {"scikit-learn", "numpy", "joblib"} <= set(config["versions"])
    assert len(config["training"]["corpus_sha256"]) == 64
    assert (model_folder / "MODEL_CARD.md").read_text().count("pickle") >= 1
    assert load_model(model_folder).predict(["It was cheaper."]).shape == (1,)

    for name in (ESTIMATOR_FILE, LINEAR_FILE):
        tampered = damaged_copy(model_folder, name, tmp_path / f"tampered-{name}")
        with pytest.raises(ModelError, match="does not match the sha256"):
            load_model(tampered)

    # Another scikit-learn only matters where something is unpickled: the classifiers load from their arrays.
    drifted = tmp_path / "drifted"
    shutil.copytree(model_folder, drifted)
    drifted_config = {**config, "versions": {**config["versions"], "scikit-learn": "0.24.2"}}
    (drifted / CONFIG_FILE).write_text(json.dumps(drifted_config))
    assert load_model(drifted).predict(["It was cheaper."]).shape == (1,)
    del drifted_config["linear"]
    (drifted / CONFIG_FILE).write_text(json.dumps(drifted_config))
    with pytest.raises(ModelError, match="built with scikit-learn 0.24.2"):
        load_model(drifted)

    with pytest.raises(ModelError, match="no model folder"):
        load_model(tmp_path / "nowhere")

    older = tmp_path / "older"
    shutil.copytree(model_folder, older)
    config["format"] = 1
    (older / CONFIG_FILE).write_text(json.dumps(config))
    with pytest.raises(ModelError, match="model format 1, this motive reads format 2; retrain it with 'motive train"):
        load_model(older)


def test_a_model_splits_sentences_as_it_was_trained(model_folder, tmp_path):
    from motive.segment import Segmenter

    config = json.loads((model_folder / CONFIG_FILE).read_text())
    assert config["sentence_splitter"] == "senter"  # what new models are trained with
    assert load_model(model_folder).segmenter.splitter == "senter"

    older = tmp_path / "older"  # a folder from before the splitter was recorded: it was trained with the parser
    shutil.copytree(model_folder, older)
    del config["sentence_splitter"]
    (older / CONFIG_FILE).write_text(json.dumps(config))
    assert load_model(older).segmenter.splitter == "parser"

    with pytest.raises(ValueError, match="splitter='tagger'"):
        Segmenter(splitter="tagger")



THANKED = """Interviewer: What made you buy the scheduling software?
Customer: The automatic reminders.
Interviewer: Thanks, that's helpful. Why do the reminders matter?
Customer: Fewer people miss their appointments.
Interviewer: okay got it thanks and why does that matter
Customer: Every empty chair is money we never get back.
"""


def test_a_model_reads_a_question_kind_without_the_acknowledgement_before_it(model_folder, tmp_path):
    from motive.model import EmbeddingCache
    from motive.pipeline import _interview, _question_kinds, classify
    from motive.transcripts import read_text

    plain = THANKED.replace("Thanks, that's helpful. ", "").replace("okay got it thanks ", "")

    def kind_rows(model, text):
        interview = _interview(read_text(text), None)
        interview.sentences = model.segmenter.sentences(interview.answers)
        interview.kind_questions = [model.kind_reading(q) for q in interview.questions]  # as the embedding stage fills it in
        _question_kinds(interview, model, EmbeddingCache(model.embedder))
        return interview.kind_proba

    model = load_model(model_folder)
    assert json.loads((model_folder / CONFIG_FILE).read_text())["reads_past_acknowledgements"] is True
    assert np.array_equal(kind_rows(model, THANKED), kind_rows(model, plain))
    result = classify(THANKED, model=model)
    assert result.answers[1].question == "Thanks, that's helpful. Why do the reminders matter?"  # results keep the question as asked

    older = tmp_path / "older"  # a folder from before the reading was recorded reads each question as asked
    shutil.copytree(model_folder, older)
    config = json.loads((older / CONFIG_FILE).read_text())
    del config["reads_past_acknowledgements"]
    (older / CONFIG_FILE).write_text(json.dumps(config))
    assert not np.array_equal(kind_rows(load_model(older), THANKED), kind_rows(load_model(older), plain))

def test_a_model_trained_with_the_rule_based_fallback_keeps_it(segmenter, tmp_path):
    # Where en_core_web_sm is missing, sentences come from spaCy's rule-based sentencizer;
    # the model must record that, not the splitter it asked for, and split that way wherever it loads.
    from motive.training import build_model
    from tests.conftest import CORPUS

    assert segmenter.splitter_used == "sentencizer"
    folder = tmp_path / "rules"
    build_model([CORPUS], folder, embedder=HashingEmbedder(256), segmenter=segmenter)
    assert json.loads((folder / CONFIG_FILE).read_text())["sentence_splitter"] == "sentencizer"
    loaded = load_model(folder, embedder=HashingEmbedder(256)).segmenter
    assert loaded.splitter_used == "sentencizer"
    assert loaded.sentences(["It was cheap. It saved us money."]) == [["It was cheap.", "It saved us money."]]


def test_a_model_of_plain_rows_records_its_rules_and_loads_without_unpickling(segmenter, tmp_path):
    import subprocess
    import sys

    from motive.features import CueQuestionKinds, LastOutcome
    from motive.training import build_model

    rows = tmp_path / "rows.csv"
    rows.write_text("text,label\n" + "It was cheap.,output\nhi,none\nI sleep better.,outcome\n" * 5)
    folder = tmp_path / "plain"
    build_model([rows], folder, embedder=HashingEmbedder(64), segmenter=segmenter)
    config = json.loads((folder / CONFIG_FILE).read_text())
    assert config["linear"]["rules"] == {"question": "cue-question-kinds", "terminal": "last-outcome"}
    card = (folder / "MODEL_CARD.md").read_text()
    assert "Question kinds: rules on cue words" in card and "nothing is unpickled" in card and "logistic regression over the question" not in card
    model = load_model(folder, embedder=HashingEmbedder(64))
    assert isinstance(model.estimators["question"], CueQuestionKinds) and isinstance(model.estimators["terminal"], LastOutcome)
    loads = f"import sys, motive; motive.load_model({str(folder)!r}); print('joblib' in sys.modules, 'sklearn' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", loads], capture_output=True, text=True, check=True).stdout.split() == ["False", "False"]


def test_training_is_reproducible(model_folder, tmp_path):
    from click.testing import CliRunner

    from motive.cli import main
    from tests.conftest import CORPUS

    again = tmp_path / "again"
    CliRunner().invoke(main, ["train", str(CORPUS), "-o", str(again), "--embedding-model", "hashing-256"])
    for entry in ("estimator", "linear"):
        first = json.loads((model_folder / CONFIG_FILE).read_text())[entry]["sha256"]
        second = json.loads((again / CONFIG_FILE).read_text())[entry]["sha256"]
        assert first == second, entry


def test_a_models_fingerprint_is_what_it_computes_not_how_it_was_made_or_scored(model_folder):
    config = json.loads((model_folder / CONFIG_FILE).read_text())
    fingerprint = config_fingerprint(config)
    rescored = {**config, "metrics": {"data": "/somewhere/else/dev"}, "training": {**config["training"], "note": "another path typed"}}
    assert config_fingerprint(rescored) == fingerprint
    assert config_fingerprint({**config, "sentence_splitter": "another"}) != fingerprint
    assert config_fingerprint({**config, "linear": {**config["linear"], "sha256": "0" * 64}}) != fingerprint


def test_a_model_loads_its_classifiers_from_arrays_with_the_pickles_numbers(model_folder, tmp_path):
    from motive.linear import LinearClassifier

    config = json.loads((model_folder / CONFIG_FILE).read_text())
    assert config["linear"]["classifiers"] == ["answer", "question", "tag.discipline", "tag.driver", "terminal"]
    assert "nothing is unpickled" in (model_folder / "MODEL_CARD.md").read_text()
    from_arrays = load_model(model_folder)
    assert all(isinstance(e, LinearClassifier) for e in [*from_arrays.estimators.values(), *from_arrays.tags.values()])

    older = tmp_path / "older"  # a folder from before linear.safetensors: its pickles are read
    shutil.copytree(model_folder, older)
    (older / LINEAR_FILE).unlink()
    del config["linear"]
    (older / CONFIG_FILE).write_text(json.dumps(config))
    unpickled = load_model(older)
    assert not any(isinstance(e, LinearClassifier) for e in unpickled.estimators.values())

    texts = ["It was cheaper.", "We stopped losing customers to late deliveries.", "Hi, thanks for having me."]
    assert np.array_equal(from_arrays.predict_proba(texts), unpickled.predict_proba(texts))
    assert from_arrays.predict_tags(texts) == unpickled.predict_tags(texts)
    from motive.pipeline import classify
    from tests.conftest import CORPUS

    for path in sorted(CORPUS.glob("*.txt"))[:3]:  # question kinds and terminal whys too
        assert _labelled(classify(path, model=from_arrays)) == _labelled(classify(path, model=unpickled))


def _labelled(result) -> dict:
    """A result's record without the model it names (two folders of the same classifiers are two models)."""
    return {key: value for key, value in result.to_dict().items() if key != "model"}


def test_long_texts_are_windowed_not_truncated():
    text = " ".join(f"w{i}" for i in range(300))
    pieces = windows(text, size=120)
    assert pieces[0].split()[0] == "w0" and pieces[-1].split()[-1] == "w299"
    assert all(len(p.split()) <= 120 for p in pieces)


def test_hashing_embedder_is_deterministic_and_normalised():
    vectors = HashingEmbedder(64).embed(["more money", "more money", ""])
    np.testing.assert_array_equal(vectors[0], vectors[1])
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0) and not vectors[2].any()


def test_sentence_transformers_folders_of_the_usual_layout_run_with_transformers_alone(tmp_path):
    from motive.embed import bundled_minilm, mean_pooling_layout

    minilm = bundled_minilm()
    assert mean_pooling_layout(minilm) == (256, True)  # max_seq_length, then a Normalize module

    def variant(name: str, change) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for file in ("modules.json", "sentence_bert_config.json", "config_sentence_transformers.json"):
            shutil.copy(minilm / file, folder / file)
        (folder / "1_Pooling").mkdir()
        shutil.copy(minilm / "1_Pooling" / "config.json", folder / "1_Pooling" / "config.json")
        change(folder)
        return folder

    def edit(path: Path, change) -> None:
        path.write_text(json.dumps(change(json.loads(path.read_text()))))

    assert mean_pooling_layout(variant("copy", lambda f: None))
    assert mean_pooling_layout(variant("unnormalised", lambda f: edit(f / "modules.json", lambda m: m[:2]))).normalize is False
    assert not mean_pooling_layout(variant("cls", lambda f: edit(f / "1_Pooling" / "config.json", lambda c: {**c, "pooling_mode_cls_token": True})))
    assert not mean_pooling_layout(variant("lower", lambda f: edit(f / "sentence_bert_config.json", lambda c: {**c, "do_lower_case": True})))
    assert not mean_pooling_layout(variant("dense", lambda f: edit(f / "modules.json", lambda m: [*m, {**m[1], "type": "sentence_transformers.models.Dense"}])))
    assert not mean_pooling_layout(variant("prompt", lambda f: edit(f / "config_sentence_transformers.json", lambda c: {**c, "default_prompt_name": "query"})))
    assert not mean_pooling_layout(variant("broken", lambda f: (f / "modules.json").write_text("{not json")))
    assert not mean_pooling_layout(tmp_path / "nowhere")


def test_a_model_is_saved_whole_or_not_at_all(model_folder, tmp_path, monkeypatch):
    import motive.model
    from motive.model import save_model

    folder = shutil.copytree(model_folder, tmp_path / "mine")
    (folder / "notes.txt").write_text("trained on the March calls")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    model = load_model(folder)

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt  # as if the run were stopped part-way through writing

    monkeypatch.setattr(motive.model, "save_arrays", stopped)
    with pytest.raises(KeyboardInterrupt):
        save_model(model, folder, training={}, metrics={}, card=lambda config: "card")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]  # nothing half-written left beside it

    monkeypatch.undo()
    save_model(model, str(folder), training={}, metrics={}, card=lambda config: "card")
    assert (folder / "MODEL_CARD.md").read_text() == "card" and (folder / "notes.txt").read_text() == "trained on the March calls"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]
    assert load_model(folder).predict(["It packs down small."]).shape == (1,)


def test_a_model_saved_into_the_current_folder_or_through_a_link_leaves_other_files_alone(model_folder, tmp_path, monkeypatch):
    from motive.model import save_model

    model = load_model(model_folder)
    here = tmp_path / "here"
    (here / "data").mkdir(parents=True)
    (here / "data" / "rows.csv").write_text("text,label\n")
    for n in range(20):
        (here / f"notes{n}.txt").write_text(str(n))
    monkeypatch.chdir(here)
    save_model(model, ".", training={}, metrics={}, card=lambda config: "card")
    assert sorted(p.name for p in here.iterdir()) == sorted(
        [*(f"notes{n}.txt" for n in range(20)), "data", *(p.name for p in model_folder.iterdir())])
    assert (here / "data" / "rows.csv").read_text() == "text,label\n" and load_model(here).predict(["Cheap."]).shape == (1,)

    real = shutil.copytree(model_folder, tmp_path / "v3")
    (real / "extra").mkdir()
    (tmp_path / "current").symlink_to(real)
    save_model(model, tmp_path / "current", training={}, metrics={}, card=lambda config: "new card")
    assert (tmp_path / "current").is_symlink() and (real / "MODEL_CARD.md").read_text() == "new card" and (real / "extra").is_dir()


def test_a_folder_that_cannot_hold_the_model_is_refused_before_training(tmp_path):
    from click.testing import CliRunner

    from motive.cli import main
    from tests.conftest import CORPUS

    other = tmp_path / "bert"
    other.mkdir()
    (other / "config.json").write_text('{"architectures": ["BertModel"]}')
    (tmp_path / "nowhere").symlink_to(tmp_path / "gone")
    for folder, problem in [(other, "holds a config.json that is not a motive model's"), (tmp_path / "nowhere", "is a link to nothing")]:
        result = CliRunner().invoke(main, ["train", str(CORPUS), "-o", str(folder), "--embedding-model", "hashing-64"])
        assert result.exit_code == 1 and f"{folder} {problem}" in result.output, result.output
        assert "read 5 annotated interviews" not in result.stderr  # refused before reading, let alone training
    assert (other / "config.json").read_text() == '{"architectures": ["BertModel"]}'



def test_training_into_a_model_folder_replaces_it_only_when_asked(model_folder, tmp_path):
    from click.testing import CliRunner

    from motive.cli import main
    from tests.conftest import CORPUS

    folder = tmp_path / "mine"
    shutil.copytree(model_folder, folder)
    (folder / "baselines.json").write_text("{}")  # written beside the default model by scripts/train_default.py
    (folder / "notes.md").write_text("ours")
    before = (folder / CONFIG_FILE).read_bytes()
    refused = CliRunner().invoke(main, ["train", str(CORPUS), "-o", str(folder), "--embedding-model", "hashing-64"])
    assert refused.exit_code == 2 and f"{folder} holds a model already: add --replace" in refused.output
    assert (folder / CONFIG_FILE).read_bytes() == before
    replaced = CliRunner().invoke(main, ["train", str(CORPUS), "-o", str(folder), "--embedding-model", "hashing-64", "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert json.loads((folder / CONFIG_FILE).read_text())["embedding"]["model"] == "hashing-64"
    assert not (folder / "baselines.json").exists() and (folder / "notes.md").read_text() == "ours"  # the old model's figures go, notes stay
    epochs = CliRunner().invoke(main, ["train", str(CORPUS), "-o", str(tmp_path / "other"), "--epochs", "2"])
    assert epochs.exit_code == 2 and "--epochs counts the passes of --fine-tune" in epochs.output


def test_a_model_trained_from_python_is_saved_for_the_command_line(small_model, interviews, model_folder, tmp_path):
    import motive
    from motive.pipeline import classify

    folder = motive.save(small_model, tmp_path / "mine")
    assert json.loads((folder / "config.json").read_text())["training"]["interviews"] == len(interviews)
    assert f"{len(interviews)} annotated interviews and 0 plain rows" in (folder / "MODEL_CARD.md").read_text()
    text = "Interviewer: Why did you buy it?\nCustomer: It was cheaper.\nInterviewer: Why does that matter?\nCustomer: We keep more money."
    from_folder = classify(text, model=folder)
    unsaved = classify(text, model=small_model)
    assert _labelled(from_folder) == _labelled(unsaved)
    assert unsaved.model["fingerprint"] is None  # nothing identifies a model's files before they are written
    assert from_folder.model["name"] == "mine" and from_folder.model["reader"] is False
    assert from_folder.model["fingerprint"] == config_fingerprint(json.loads((folder / "config.json").read_text()))
    again = motive.save(small_model, tmp_path / "again")
    assert (again / "config.json").read_text() == (folder / "config.json").read_text()
    for loaded in (load_model(folder), load_model(model_folder)):
        with pytest.raises(ValueError, match="is in that folder already"):
            motive.save(loaded, tmp_path / "copy")


def test_evaluate_from_python_gives_what_the_command_line_prints(model_folder, tmp_path):
    from click.testing import CliRunner

    import motive
    from motive.cli import main
    from tests.conftest import CORPUS

    printed = json.loads(CliRunner().invoke(main, ["evaluate", "--model", str(model_folder), str(CORPUS), "--json"]).stdout)
    assert motive.evaluate(model_folder, motive.read_interviews(CORPUS)) == printed
    assert set(printed["tags"]) == {"driver", "discipline"}
    (tmp_path / "answers.csv").write_text("text,label\nCheaper.,output\n")
    assert motive.read_table(str(tmp_path / "answers.csv"), {"Feature": "output"}) == [("Cheaper.", "output")]
    with pytest.raises(motive.CorpusError, match="is a table of text,label rows, not annotated interviews: read it with motive.read_table"):
        motive.read_interviews(tmp_path / "answers.csv")
