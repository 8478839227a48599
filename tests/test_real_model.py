"""Tests with the real embedding model, spaCy pipeline and the default model in models/."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from motive.embed import MINILM_SHA256, SentenceTransformerEmbedder
from motive.errors import ModelError
from motive.model import CONFIG_FILE, default_model_path, load_model
from motive.pipeline import classify, classify_many
from motive.segment import Segmenter

pytestmark = pytest.mark.slow
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_the_bundled_minilm_is_the_upstream_release():
    embedder = SentenceTransformerEmbedder()
    assert embedder.weights_sha256 == MINILM_SHA256
    vectors = embedder.embed(["We need the manuals in Japanese.", "word " * 400])
    assert vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_minilm_runs_without_sentence_transformers_and_gives_its_vectors(precision):
    import torch

    from motive.embed import MeanPoolingModel, SentenceTransformerModel

    embedder = SentenceTransformerEmbedder(precision=precision)
    assert isinstance(embedder.model, MeanPoolingModel)
    through_st = SentenceTransformerEmbedder(precision=precision, tokens_per_batch=embedder.tokens_per_batch)
    through_st._model = SentenceTransformerModel.load(str(through_st.folder))
    through_st._model.to("cpu", torch.bfloat16 if precision == "bf16" else None)
    texts = [line for path in sorted(EXAMPLES.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += ["ok", "word " * 400, "We need the manuals in Japanese, because our distributors in Osaka can't read English ones."]
    assert np.array_equal(embedder.embed(texts), through_st.embed(texts))  # to the last bit


def test_a_model_of_another_layout_loads_through_sentence_transformers(tmp_path):
    from motive.embed import SentenceTransformerModel, make_embedder

    minilm = SentenceTransformerEmbedder().folder
    folder = tmp_path / "minilm-cls"  # MiniLM's files, pooled by the first token instead of the mean
    shutil.copytree(minilm, folder, ignore=shutil.ignore_patterns("model.safetensors"))
    (folder / "model.safetensors").symlink_to(minilm / "model.safetensors")
    pooling = folder / "1_Pooling" / "config.json"
    pooling.write_text(json.dumps({**json.loads(pooling.read_text()), "pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}))

    embedder = make_embedder(str(folder))
    vectors = embedder.embed(["We need the manuals in Japanese.", "It keeps our distributors selling."])
    assert isinstance(embedder.model, SentenceTransformerModel) and embedder.dimension == 384
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    mean_pooled = SentenceTransformerEmbedder().embed(["We need the manuals in Japanese."])
    assert not np.allclose(vectors[0], mean_pooled[0], atol=1e-3)


def test_the_parser_finds_a_break_in_unpunctuated_speech():
    segmenter = Segmenter(splitter="parser")
    assert segmenter.name != "sentencizer"
    text = "yeah so we bought it because the old one kept breaking down and then we lost two days of production every month"
    assert len(segmenter.sentences([text])[0]) >= 2
    assert "operating manuals" in segmenter.noun_chunks("We need our operating manuals in Japanese.")[1].text


def test_the_senter_splits_punctuated_answers_and_the_parser_still_finds_noun_phrases():
    senter, parser = Segmenter(splitter="senter"), Segmenter(splitter="parser")
    texts = [
        "We switched last spring. The old tool kept crashing, so we lost a day a month.",
        "Honestly? It saves us money. And my team stops complaining about the reports.",
    ]
    assert senter.sentences(texts) == parser.sentences(texts) == [
        ["We switched last spring.", "The old tool kept crashing, so we lost a day a month."],
        ["Honestly?", "It saves us money.", "And my team stops complaining about the reports."],
    ]
    chunks = senter.noun_chunks("We need our operating manuals in Japanese.")
    assert [(c.text, c.dep, c.governor) for c in chunks][1] == ("our operating manuals", "dobj", "need")
    cut = senter.noun_chunks_many(["So you bought the online scheduling add-on last month. Why?"])[0]
    assert [c.text for c in cut] == ["you", "the online scheduling add-on"]  # the parser ends it at "add"
    from motive.summary import thing_bought

    assert thing_bought(senter.noun_chunks_many(["Why the new mixer wagon?"])[0]) == "mixer wagon"  # not "Why the new…"
    passed_over = senter.noun_chunks_many(["Why did you switch from Excel to Tallybook?", "Why did you pick Acme over the others?",
                                           "Was there anything else, apart from the fees?", "What did you buy from Yard View?"])
    assert [thing_bought(chunks) for chunks in passed_over] == ["Tallybook", "Acme", None, "Yard View"]  # the seller is what they buy from
    chosen = senter.noun_chunks_many(["why did you put the soil moisture sensors in?", "So you moved the agency onto QuickLedger?",
                                      "You signed the office up for the BeanBox subscription.", "Why did you buy the tent for your trip?"])
    assert [thing_bought(chunks) for chunks in chosen] == ["soil moisture sensors", "QuickLedger", "BeanBox subscription", "tent"]
    two_objects = senter.noun_chunks_many(["Why did you buy your wife a new mixer?", "Why did you buy your team a new CRM?"])
    assert [thing_bought(chunks) for chunks in two_objects] == ["mixer", "CRM"]  # a double object is two phrases
    assert thing_bought(senter.noun_chunks("Last year you replaced eight of the diesel cars with hybrids.")) == "hybrids"


def test_a_chain_is_about_what_its_question_asks_about():
    from motive.pipeline import _chain_subjects
    from motive.results import Answer

    questions = [
        "Helen, your firm manages invoicing for about sixty small clients. Why Tallybook?",  # what it asks, not what came before
        "Ana, why did you buy Tallybook for the warehouse?",  # the object of buying, not where it went
        "So you bought the online scheduling add-on last month. Why?",  # the asking sentence names nothing: the whole question
        "Why?",  # the question names nothing: the answer
    ]
    said = "We needed one place for invoices."
    openings = [Answer(said, q, "A", "output", 1.0, 0, [said], said) for q in questions]
    assert _chain_subjects(Segmenter(splitter="senter"), openings) == ["Tallybook", "Tallybook", "online scheduling add-on", "invoices"]
    # A choice question is about what was chosen; a question that names nothing, about what an earlier root or aside named.
    choices = ["Why Coursera and not one of the bootcamps?", "Why did you go with Ringwell instead of a receptionist?",
               "Okay, and beyond the fines, anything else?", "Why not just hire a gardener?"]
    openings = [Answer(said, q, "A", "output", 1.0, 0, [said], said) for q in choices]
    earlier = [[], [], ["Why did you buy the robot mower?"], ["Hi, thanks for having me.", "So why the Verdo?"]]
    assert _chain_subjects(Segmenter(splitter="senter"), openings, earlier) == ["Coursera", "Ringwell", "robot mower", "Verdo"]


SEED_CHAIN = """Interviewer: Why do you buy document translation services?
Customer: Because we need to present our documents in other languages.
Interviewer: Why do you need to present your documents in other languages?
Customer: We want to appeal to potential customers who speak other languages.
Interviewer: Why is that important?
Customer: We work with customers all over the world.
Interviewer: Why don't you leave your documents in English and let global customers do their own translations?
Customer: It's important that the translations are precise. We don't want to leave anything to chance.
Interviewer: Why not? Why is that important?
Customer: The translations are critical to the operation of high-tech instruments and need to be exactly right.
Interviewer: What would happen if they were wrong?
Customer: People could get hurt by the high-tech instruments they're buying if they don't use them correctly.
Interviewer: What would happen if that occurred?
Customer: Possible lawsuits, bad PR, overall ugliness. We need to mitigate those risks.
"""


def test_the_why_chain_of_the_translation_example_ends_in_risk(model):
    result = classify(SEED_CHAIN, model=model)
    labels = [a.label for a in result.answers]
    assert labels[0] == "output" and labels[4] == "output" and labels[6] == "outcome"
    last_chain = result.chains[result.answers[6].chain]
    assert last_chain.terminal == 6
    assert last_chain.summary.endswith("We need to mitigate those risks")



def test_thanks_before_a_probe_keeps_the_chain_going(model):
    """In the corpus "thanks" mostly opens a wrap-up; said before a probe, it must not end the chain."""
    transcript = (
        "Interviewer: What made you buy the new scheduling software?\n"
        "Customer: Mostly the automatic reminders. Patients get a text the day before.\n"
        "Interviewer: Thank you. And why are the reminders important to you?\n"
        "Customer: Because fewer people miss their appointments.\n"
        "Interviewer: Thanks, that's helpful. Why does that matter?\n"
        "Customer: Every empty chair is about two hundred dollars we never get back.\n"
    )
    result = classify(transcript, model=model)
    assert [a.question_kind for a in result.answers] == ["root", "probe", "probe"]
    assert result.answers[2].question == "Thanks, that's helpful. Why does that matter?"  # results keep the question as asked
    assert result.answers[2].label == "outcome" and result.chains[0].terminal == 2

def test_bare_texts_get_labels_and_probabilities(model):
    texts = ["The pre-fab ones were forty dollars cheaper per cabinet.", "More money in my pocket at the end of the day."]
    assert list(model.predict(texts)) == ["output", "outcome"]
    np.testing.assert_allclose(model.predict_proba(texts).sum(axis=1), 1.0, rtol=1e-6)


def test_classify_the_examples(model):
    results = list(classify_many(sorted(EXAMPLES.glob("*.txt")), model=model))
    assert all(r.ok for r in results)
    for result in results:
        assert result.chains, result.source
        assert any(c.terminal is not None for c in result.chains), result.source
        for chain in result.chains:
            if chain.terminal is not None:
                assert result.answers[chain.terminal].label == "outcome"
    dental = next(r for r in results if "dental" in r.source)
    assert dental.interviewer == "Interviewer"
    assert dental.answers[0].chain is None  # small talk before the first root question
    alone = classify(EXAMPLES / "dental-clinic-scheduling.txt", model=model)
    assert alone.to_dict() == dental.to_dict()


def test_a_model_trained_for_other_embeddings_is_refused(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(default_model_path(), copy)
    config = json.loads((copy / CONFIG_FILE).read_text())
    config["embedding"]["weights_sha256"] = "0" * 64
    (copy / CONFIG_FILE).write_text(json.dumps(config))
    with pytest.raises(ModelError, match="is not the one"):
        load_model(copy)


def test_training_with_the_real_embedder_is_reproducible(interviews):
    from motive.training import train

    def fitted_bytes():
        import io

        import joblib

        model = train(interviews, embedder=SentenceTransformerEmbedder(), segmenter=Segmenter())
        buffer = io.BytesIO()
        joblib.dump(model.estimators, buffer)
        return buffer.getvalue()

    assert fitted_bytes() == fitted_bytes()


def test_a_vector_does_not_depend_on_what_else_is_embedded():
    embedder = SentenceTransformerEmbedder()
    texts = ["We need the manuals in Japanese.", "yeah", "More money in my pocket at the end of the month."]
    long_text = "we talked about the budget and the rollout " * 40  # windowed
    alone = np.stack([embedder.embed([t])[0] for t in texts])
    together = embedder.embed([long_text, *texts[::-1]])[1:][::-1]
    np.testing.assert_array_equal(alone, together)


def test_the_batch_size_is_settled_with_the_device_unless_given():
    settled, given = SentenceTransformerEmbedder(device="auto"), SentenceTransformerEmbedder(tokens_per_batch=64)
    settled.embed(["yeah"])
    given.embed(["yeah"])
    assert settled.tokens_per_batch == (16384 if settled.device == "cuda" else 512)
    assert given.tokens_per_batch == 64


def test_bf16_embeddings_stay_close_to_fp32_and_batch_independent():
    texts = ["We need the manuals in Japanese.", "yeah", "More money in my pocket at the end of the month.",
             "we talked about the budget and the rollout " * 40]
    fp32 = SentenceTransformerEmbedder(precision="fp32").embed(texts)
    fast = SentenceTransformerEmbedder(precision="bf16")
    bf16 = fast.embed(texts)
    assert np.min(np.sum(fp32 * bf16, axis=1)) >= 0.99
    alone = np.stack([fast.embed([t])[0] for t in texts])
    together = fast.embed(texts[::-1] + ["filler text of another length entirely, to share the batches"])[:-1][::-1]
    np.testing.assert_array_equal(alone, together)


def test_many_texts_of_one_length_fill_several_batches_and_keep_their_vectors():
    embedder = SentenceTransformerEmbedder()
    texts = [f"The order number is {n}." for n in range(150)]  # one token length: more than one batch's worth
    together = embedder.embed(texts)
    for index in (0, 77, 149):
        np.testing.assert_array_equal(embedder.embed([texts[index]])[0], together[index])


def test_the_default_model_runs_at_the_precision_asked_for(model):
    from motive.pipeline import default_model

    fp32 = default_model(precision="fp32")
    assert fp32.embedder.dimension and fp32.embedder.precision == "fp32"
    assert [a.label for a in classify(SEED_CHAIN, precision="fp32").answers] == [a.label for a in classify(SEED_CHAIN, model=model).answers]


def test_on_a_gpu_the_examples_get_the_labels_they_get_on_the_cpu():
    import torch

    if not torch.cuda.is_available():
        pytest.skip("no CUDA GPU on this machine")
    paths = sorted(EXAMPLES.glob("*.txt"))
    on = {device: list(classify_many(paths, model=load_model(device=device, precision="fp32"))) for device in ("cpu", "cuda")}
    assert [[a.label for a in r.answers] for r in on["cuda"]] == [[a.label for a in r.answers] for r in on["cpu"]]
    assert [[c.answers for c in r.chains] for r in on["cuda"]] == [[c.answers for c in r.chains] for r in on["cpu"]]


def test_classifying_with_the_default_model_leaves_sentence_transformers_and_scikit_learn_unimported():
    # Each would add seconds to classifying one file from the command line (BENCHMARKS.md, "The command line").
    import subprocess
    import sys

    check = (
        "import sys; from pathlib import Path; from motive.pipeline import classify; "
        f"result = classify(Path({str(EXAMPLES / 'tent-purchase.txt')!r})); "
        "print(len(result.answers), [m for m in ('sentence_transformers', 'sklearn') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout.split("\n")[-2]
    assert out == "5 []"


def _classify_in_child(path, queue):
    queue.put(classify(Path(path)).to_dict())


def test_a_forked_process_classifies_after_its_parent_did(model):
    """multiprocessing forks on Linux; torch's thread pool, used in the parent, must not hang the child."""
    import multiprocessing

    example = Path(__file__).parents[1] / "examples" / "tent-purchase.txt"
    in_parent = classify(example).to_dict()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_classify_in_child, args=(str(example), queue))
    child.start()
    try:
        in_child = queue.get(timeout=120)  # read before joining: a child that has put a big result waits for it to be read
    except Exception:
        child.kill()
        pytest.fail("classify hung in a forked child")
    child.join(30)
    assert child.exitcode == 0 and in_child == in_parent
