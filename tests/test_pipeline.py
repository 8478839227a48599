import json
from pathlib import Path

import pytest

import motive
from motive.errors import TranscriptError
from motive.output import answer_rows, format_table
from motive.insights import build_insights
from motive.pipeline import classify, classify_many
from motive.results import Result

TRANSCRIPT = """Interviewer: How was the drive in?
Customer: Fine, thanks.
Interviewer: Why did you buy the translation service?
Customer: We need our operating manuals in Japanese and German.
Interviewer: Why is that important?
Customer: People could get hurt using the instruments. We'd face lawsuits and bad PR.
Interviewer: Another reason?
Customer: Our distributors in Osaka can finally sell the thing.
"""


def test_a_result_holds_answers_and_chains(small_model):
    result = classify(TRANSCRIPT, model=small_model)
    assert result.interviewer == "Interviewer" and result.ok
    assert len(result.answers) == 4
    first = result.answers[1]
    assert first.question == "Why did you buy the translation service?"
    assert first.speaker == "Customer" and first.label in ("output", "outcome", "none")
    assert 0 <= first.confidence <= 1 and abs(sum(first.probabilities.values()) - 1) < 1e-3
    assert result.answers[2].sentences == ["People could get hurt using the instruments.", "We'd face lawsuits and bad PR."]
    assert result.answers[2].evidence in result.answers[2].sentences
    for index, chain in enumerate(result.chains):
        assert all(result.answers[i].chain == index for i in chain.answers)
        assert chain.terminal is None or (chain.terminal in chain.answers and result.answers[chain.terminal].label == "outcome")
        assert " → " in chain.summary
    json.dumps(result.to_dict())
    assert set(result.to_dict()) == {"source", "answers", "chains", "interviewer", "interviewers", "metadata", "notes", "error", "model"}


def test_text_and_path_give_the_same_result(small_model, tmp_path):
    path = tmp_path / "call.txt"
    path.write_text(TRANSCRIPT)
    from_text = classify(TRANSCRIPT, model=small_model).to_dict()
    from_path = classify(path, model=small_model).to_dict()
    assert from_path.pop("source") == str(path) and from_text.pop("source") == "<text>"
    assert from_text == from_path
    with pytest.raises(TypeError, match="str .transcript text. or a Path"):
        classify(b"bytes", model=small_model)
    with pytest.raises(TranscriptError, match=r"a str is transcript text: for the file, pass Path\("):
        classify(str(path), model=small_model)


def test_a_file_gets_the_same_result_in_a_folder_as_alone(small_model, tmp_path):
    from tests.conftest import CORPUS

    paths = sorted(CORPUS.glob("*.txt"))
    together = [r.to_dict() for r in classify_many(paths, model=small_model)]
    alone = [classify(p, model=small_model).to_dict() for p in paths]
    assert together == alone


def test_classify_many_takes_folders_a_single_path_and_a_model_folder(model_folder, tmp_path):
    (tmp_path / "calls" / "march").mkdir(parents=True)
    for name in ("a.txt", "march/b.txt"):
        (tmp_path / "calls" / name).write_text(TRANSCRIPT)
    for paths in ([tmp_path / "calls"], tmp_path / "calls", str(tmp_path / "calls")):
        results = list(classify_many(paths, model=str(model_folder)))
        assert [r.source for r in results] == [str(tmp_path / "calls" / "a.txt"), str(tmp_path / "calls" / "march" / "b.txt")]
        assert all(r.ok for r in results)
    assert classify(TRANSCRIPT, model=model_folder).to_dict() | {"source": None} == results[0].to_dict() | {"source": None}


def test_transcript_text_where_a_path_belongs_is_named_but_not_quoted(small_model):
    secret = TRANSCRIPT + "Customer: my card number is 4111 1111 1111 1111.\n"
    [result] = classify_many([secret], model=small_model)
    assert not result.ok and result.source == "<text>" and "motive.classify(text)" in result.error
    assert "4111" not in result.source + result.error


def test_bad_files_do_not_stop_the_batch(small_model, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(TRANSCRIPT)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "monologue.txt").write_text("A: I just talk.\nA: And talk.")
    results = list(classify_many(sorted(tmp_path.iterdir()), model=small_model))
    assert [(Path(r.source).name, r.ok) for r in results] == [("empty.txt", False), ("good.txt", True), ("monologue.txt", False)]
    assert "only one speaker" in results[2].error


def test_edge_cases_say_what_happened(small_model):
    no_questions = classify("A: We bought it.\nB: Right.\nA: It was cheap.\nB: Sure.", model=small_model)
    assert any("asks no questions" in note for note in no_questions.notes)
    with pytest.raises(TranscriptError, match="no speaker turns"):
        classify("", model=small_model)
    with pytest.raises(TranscriptError, match="no speaker is labelled 'Bob'"):
        classify(TRANSCRIPT, model=small_model, interviewer="Bob")
    full_names = "Priya Nair: Why did you buy it?\nSam Ortega: It was cheaper.\nPriya Nair: Why does that matter?\nSam Ortega: We keep more money."
    assert classify(full_names, model=small_model, interviewer="Priya").interviewers == ["Priya Nair"]  # a first name, as tools label people
    with pytest.raises(TranscriptError, match="no speaker is labelled 'Priya'; 'Priya Nair', 'Priya Shah' start with it: name one"):
        classify(full_names.replace("Sam Ortega", "Priya Shah"), model=small_model, interviewer="Priya")


def test_the_interviewer_can_be_named(small_model):
    result = classify(TRANSCRIPT, model=small_model, interviewer="Customer")
    assert result.interviewer == "Customer"
    assert all(a.speaker == "Interviewer" for a in result.answers)


def test_the_front_matter_can_name_the_interviewer(small_model, tmp_path):
    named = tmp_path / "named.txt"
    named.write_text("---\ninterviewer: Customer\n---\n" + TRANSCRIPT)
    assert classify(named, model=small_model).interviewer == "Customer"
    assert classify(named, model=small_model, interviewer="Interviewer").interviewer == "Interviewer"  # the option wins
    absent = tmp_path / "absent.txt"
    absent.write_text("---\ninterviewer: Sam\n---\n" + TRANSCRIPT)
    results = list(classify_many([absent, named], model=small_model))
    assert results[0].error == "no speaker is labelled 'Sam' (the interviewer its front matter names); its speakers are 'Customer', 'Interviewer'"
    assert results[1].ok


def test_the_interviewer_is_named_in_any_case(small_model):
    """Labels typed in different cases are one speaker, and so is a name given in another case."""
    assert classify(TRANSCRIPT, model=small_model, interviewer="customer").interviewer == "Customer"
    assert classify(TRANSCRIPT, model=small_model, interviewer=["INTERVIEWER"]).interviewer == "Interviewer"


GROUP = """\
Dana: What made you pick the Hexa scheduling tool?
Priya: Mostly the shift templates. We can copy a whole week in one click.
Sam: And why does copying a week matter to you?
Priya: My supervisors used to spend Friday afternoons rebuilding the rota by hand.
Dana: Why is that important?
Priya: They get those hours back for coaching.
Leo: And the overtime bill dropped about ten percent.
Dana: Why does the overtime matter?
Leo: It was eating the margin on every store.
"""


def test_several_interviewers_and_respondents(small_model, tmp_path):
    result = classify(GROUP, model=small_model)
    assert (result.interviewer, result.interviewers) == ("Dana", ["Dana", "Sam"])
    assert [a.speaker for a in result.answers] == ["Priya", "Priya", "Priya, Leo", "Leo"]
    assert [a.speakers for a in result.answers] == [["Priya"], ["Priya"], ["Priya", "Leo"], ["Leo"]]
    assert [a.asked_by for a in result.answers] == [["Dana"], ["Sam"], ["Dana"], ["Dana"]]
    table = format_table(result).splitlines()
    assert table[1] == "  interviewers: Dana, Sam · respondents: Priya, Leo"
    assert "[Priya, Leo] They get those hours back for coaching." in table[5]
    assert [row["asked_by"] for row in answer_rows(result)] == ["Dana", "Sam", "Dana", "Dana"]
    assert result.notes == []
    assert result.answers[1].question == "And why does copying a week matter to you?"
    assert result.answers[2].text == "They get those hours back for coaching. And the overtime bill dropped about ten percent."
    assert Result.from_dict(result.to_dict()) == result
    # Named: by the option (one label or several), or by the front matter, commas between the labels.
    only_dana = classify(GROUP, model=small_model, interviewer="Dana")
    assert only_dana.interviewers == ["Dana"] and "And why does copying a week matter" in only_dana.answers[0].text
    assert only_dana.notes == ["'Sam' asks like an interviewer but is not named as one, so their questions are read as answers "
                               "(name every interviewer: --interviewer 'Dana' --interviewer 'Sam', or all of them in the "
                               "front matter's 'interviewer:')"]
    assert classify(GROUP, model=small_model, interviewer=["Sam", "Dana"]).interviewer == "Sam"
    assert classify(GROUP, model=small_model, interviewer="Dana, Sam").interviewers == ["Dana", "Sam"]
    earlier = {k: v for k, v in result.to_dict().items() if k != "interviewers"}  # a record written before group interviews
    assert Result.from_dict(earlier).interviewers == ["Dana"]
    earlier["answers"] = [{k: v for k, v in a.items() if k != "speakers"} for a in earlier["answers"]]  # and before `speakers`
    assert [a.speakers for a in Result.from_dict(earlier).answers] == [["Priya"], ["Priya"], ["Priya, Leo"], ["Leo"]]
    named = tmp_path / "named.txt"
    named.write_text("---\ninterviewer: Dana, Sam, Leo\n---\n" + GROUP)
    assert classify(named, model=small_model).interviewers == ["Dana", "Sam", "Leo"]
    with pytest.raises(TranscriptError, match="every speaker is named as an interviewer: nobody answers"):
        classify(GROUP, model=small_model, interviewer=["Dana", "Sam", "Priya", "Leo"])


def test_public_names():
    assert motive.classify is classify
    assert callable(motive.load_model) and callable(motive.classify_many)
    with pytest.raises(AttributeError):
        motive.nothing_here


def test_public_functions_stay_functions_whatever_was_imported_first():
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(motive.__path__):
        if module.name != "__main__":
            importlib.import_module(f"motive.{module.name}")  # a submodule named like a function would replace it
    for name in motive.__all__:
        if name[0].islower() and name != "__version__":
            assert callable(getattr(motive, name)) and not isinstance(getattr(motive, name), type(motive)), name


def test_a_front_matter_interviewer_naming_nobody_is_worked_out_and_costs_no_other_file(small_model, tmp_path):
    (tmp_path / "a.txt").write_text(TRANSCRIPT)
    (tmp_path / "b.txt").write_text("---\ninterviewer: ,\n---\n" + TRANSCRIPT)
    results = list(classify_many(tmp_path, model=small_model))
    assert [(Path(r.source).name, r.ok, r.interviewer) for r in results] == [("a.txt", True, "Interviewer"), ("b.txt", True, "Interviewer")]


def test_classify_many_walks_paths_as_the_command_line_does(small_model, tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "a.txt").write_text(TRANSCRIPT)
    (tmp_path / "link").symlink_to(calls, target_is_directory=True)
    (calls / "loop").symlink_to(calls, target_is_directory=True)
    results = list(classify_many([calls, calls / "a.txt", tmp_path / "link"], model=small_model))
    assert [(r.source, r.ok) for r in results] == [(str(calls / "a.txt"), True), (str(calls / "loop"), False)]  # each file once
    assert "loop" in results[1].error
    assert [r.source for r in classify_many(tmp_path / "link", model=small_model)] == [str(tmp_path / "link" / "a.txt"), str(tmp_path / "link" / "loop")]


def test_a_model_folder_trained_again_is_loaded_again_and_the_old_one_let_go(model_folder, tmp_path, monkeypatch):
    import os
    import shutil

    from motive import pipeline

    folder = tmp_path / "model"
    shutil.copytree(model_folder, folder)
    first = pipeline.model_from(folder)
    assert pipeline.model_from(str(folder)) is first
    config = folder / "config.json"
    os.utime(config, ns=(config.stat().st_atime_ns, config.stat().st_mtime_ns + 10**9))  # as a retrain leaves it
    second = pipeline.model_from(folder)
    assert second is not first and pipeline.model_from(folder) is second
    assert first not in [model for _, model in pipeline._loaded_models.values()]
    monkeypatch.setenv("MOTIVE_MODEL", str(folder))
    assert pipeline.default_model() is second  # the default model is the folder MOTIVE_MODEL names, however named


def test_threads_may_classify_at_once(small_model):
    """spaCy's pipeline is shared: threads take turns in it, and each gets the result it would get alone."""
    import copy
    from concurrent.futures import ThreadPoolExecutor

    from motive.segment import Segmenter

    small_model = copy.copy(small_model)
    small_model.segmenter = Segmenter()  # the parser too, as motive's own models use it
    texts = [TRANSCRIPT.replace("Osaka", city) for city in ("Lyon", "Porto", "Cork", "Graz", "Turku", "Brno")] * 4
    alone = [classify(text, model=small_model).to_dict() for text in texts]
    with ThreadPoolExecutor(4) as pool:
        together = [result.to_dict() for result in pool.map(lambda text: classify(text, model=small_model), texts)]
    assert together == alone


def test_wrong_arguments_are_named(small_model, tmp_path):
    from pathlib import PurePosixPath

    file = tmp_path / "call.txt"
    file.write_text(TRANSCRIPT)
    for call, said in [
        (lambda: classify(TRANSCRIPT.encode(), model=small_model), "not bytes: decode them first"),
        (lambda: classify(TRANSCRIPT, model=small_model, interviewer=42), "interviewer= takes a speaker label"),
        (lambda: classify(TRANSCRIPT, model=123), "model= takes a loaded model"),
        (lambda: list(classify_many(b"calls", model=small_model)), "classify_many\\(\\) takes paths"),
        (lambda: small_model.predict(["It was cheaper.", None]), "take answers as str .*not NoneType"),
        (lambda: list(classify_many([file, None], model=small_model)), "takes paths .str or Path. or transcript text, not NoneType"),
        (lambda: build_insights(["results.jsonl"]), "takes Result objects or the dicts motive classify writes, not str"),
    ]:
        with pytest.raises(TypeError, match=said):
            call()
    assert classify(PurePosixPath(file), model=small_model).source == str(file)  # any os.PathLike is a file


def test_a_file_over_max_bytes_is_refused_by_classify_too(small_model, tmp_path):
    file = tmp_path / "call.txt"
    file.write_text(TRANSCRIPT)
    with pytest.raises(TranscriptError, match="over the 10-byte limit"):
        classify(file, model=small_model, max_bytes=10)
    assert classify(file, model=small_model, max_bytes=len(TRANSCRIPT) + 10).answers


def _parse_in_child(queue):
    from motive.segment import Segmenter

    queue.put(Segmenter("sentencizer").sentences(["One. Two."]))


def test_a_process_forked_while_another_thread_parses_does_not_inherit_the_lock_held():
    import multiprocessing
    import threading
    import time

    from motive.segment import _SPACY_LOCK

    held = threading.Event()

    def parse_slowly():
        with _SPACY_LOCK:
            held.set()
            time.sleep(0.5)

    thread = threading.Thread(target=parse_slowly)
    thread.start()
    held.wait()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_parse_in_child, args=(queue,))
    child.start()  # waits for the lock, so the child gets it free
    try:
        assert queue.get(timeout=60) == [["One.", "Two."]]
    finally:
        child.join(10)
        thread.join()
        if child.is_alive():
            child.kill()


def test_motive_imports_where_processes_cannot_fork():
    """Windows has no os.register_at_fork: motive's fork guards are skipped there, not fatal."""
    import subprocess
    import sys

    check = ("import os, random, threading, concurrent.futures\n"
             "del os.register_at_fork\n"
             "import motive.segment, motive.embed\n"
             "motive.embed._one_thread_after_fork()\n"
             "print('imported')")
    assert subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout.strip() == "imported"


def test_classify_many_tells_what_each_group_is_going_through(small_model, tmp_path):
    (tmp_path / "call.txt").write_text(TRANSCRIPT)
    stages = []
    results = list(classify_many([tmp_path], model=small_model, on_stage=stages.append))
    assert results[0].ok and stages == ["sentences", "embedding", "chains", "labels", "summaries"]


def test_an_answer_of_over_a_million_characters_is_classified(small_model):
    said = "We needed it because the old system kept failing and my team lost hours every week. "
    text = f"Interviewer: Why did you buy it?\nCustomer: {said * 13000}\nInterviewer: Why does that matter?\nCustomer: It saves money.\n"
    assert len(text) > 1_000_000
    result = classify(text, model=small_model)
    assert len(result.answers) == 2 and len(result.answers[0].sentences) == 13000  # split in pieces, every sentence kept


def test_an_emoji_of_joined_emoji_stays_in_one_sentence(small_model):
    import copy

    from motive.segment import Segmenter

    small_model = copy.copy(small_model)
    small_model.segmenter = Segmenter()  # en_core_web_sm's senter, as motive's own models split
    said = "Because my kids \U0001f469\u200d\U0001f467 grow up knowing me \U0001f60a and I feel good."
    result = classify(f"Interviewer: Why does that matter?\nCustomer: {said}\n", model=small_model)
    assert result.answers[0].sentences == [said]  # the senter alone cuts after the joiner


def test_a_file_that_fails_unforeseen_is_skipped_and_its_group_keeps_its_results(small_model, tmp_path, monkeypatch):
    import motive.pipeline

    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(TRANSCRIPT.replace("Osaka", name.upper() + "-city"))
    real = motive.pipeline._annotate

    def fails_on_b(interviews, model, on_stage=lambda stage: None):
        if any(i.transcript.source.endswith("b.txt") for i in interviews):
            raise RuntimeError("something nobody checked for")
        return real(interviews, model, on_stage)

    monkeypatch.setattr(motive.pipeline, "_annotate", fails_on_b)
    results = {Path(r.source).name: r for r in classify_many([tmp_path], model=small_model)}
    assert results["a.txt"].ok and results["c.txt"].ok
    assert results["b.txt"].error == "could not be classified (RuntimeError: something nobody checked for)"

    def fails_always(interviews, model, on_stage=lambda stage: None):
        raise RuntimeError("the device is gone")

    monkeypatch.setattr(motive.pipeline, "_annotate", fails_always)  # the model or device fails, not a file: the run stops
    with pytest.raises(RuntimeError, match="the device is gone"):
        list(classify_many([tmp_path], model=small_model))


def test_asking_for_a_loaded_model_in_other_words_loads_no_second_copy(tmp_path, monkeypatch):
    import types

    import motive.pipeline

    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    loads = []

    def load_model(path, device, precision):
        embedder = types.SimpleNamespace(_model=object(), name="some/model", device="cpu", precision="fp32")  # as settled on this CPU
        loads.append((device, precision))
        return types.SimpleNamespace(embedder=embedder)

    monkeypatch.setattr(motive.pipeline, "load_model", load_model)
    monkeypatch.setattr(motive.pipeline, "_loaded_models", {})
    monkeypatch.setattr("torch.cuda.is_available", lambda: False)
    first = motive.pipeline.model_from(folder)
    assert motive.pipeline.model_from(folder, device="cpu") is first
    assert motive.pipeline.model_from(str(folder) + "/", device="cpu", precision="fp32") is first
    assert motive.pipeline.model_from(folder, precision="bf16") is not first  # another precision is another model
    assert loads == [("auto", "auto"), ("auto", "bf16")]
