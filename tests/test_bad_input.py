"""Bad input: each problem is one line naming the file, never its content, and the
other files' results are kept."""

import io
import json
import os
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from motive.cli import EXIT_SKIPPED, main
from motive.errors import TranscriptError
from motive.pipeline import classify_many
from motive.transcripts import DEFAULT_MAX_BYTES, find_transcripts, read_file
from tests.conftest import DATA
from tests.test_pipeline import TRANSCRIPT

EXPORTS = DATA / "exports"
SECRET = "Zanzibar-4471"  # stands for personal data: must never appear in a message
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa" + SECRET.encode()


def problem(path: Path, **options) -> str:
    """The one-line problem read_file reports, checked to name the file and hide the content."""
    with pytest.raises(TranscriptError) as caught:
        read_file(path, **options)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert SECRET not in message
    return caught.value.problem


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_empty_file(tmp_path):
    assert problem(write(tmp_path / "call.txt", b"")) == "is empty"


def test_binary_file(tmp_path):
    assert problem(write(tmp_path / "call.txt", os.urandom(2000) + b"\x00" + SECRET.encode())) == "is a binary file, not a transcript"


def test_an_image_named_txt(tmp_path):
    assert problem(write(tmp_path / "photo.txt", PNG)) == "is a binary file, not a transcript"


INTERVIEW = (
    "Interviewer: Pourquoi avez-vous choisi ce fournisseur ? C'était l'été.\n"
    "Client: À cause de la qualité – et du prix : 40 € de moins, « vraiment » moins cher.\n"
    "Interviewer: Et pourquoi est-ce important pour vous ?\n"
    "Client: Parce que notre équipe dépense moins, et nous gagnons du temps chaque année.\n"
)


@pytest.mark.parametrize(
    "encoding, text",
    [
        ("latin-1", INTERVIEW.replace("–", "-").replace("€", "euros")),
        ("cp1252", INTERVIEW.replace("« vraiment »", "“vraiment”")),
        ("utf-16", INTERVIEW),
        ("utf-16-le", INTERVIEW),  # no byte-order mark
        ("utf-16-be", INTERVIEW),
    ],
)
def test_legacy_encodings_are_read_correctly(tmp_path, encoding, text):
    path = write(tmp_path / "appel.txt", text.encode(encoding))
    turns = read_file(path).turns
    assert [t.speaker for t in turns] == ["Interviewer", "Client"] * 2
    expected = [line.partition(": ")[2] for line in text.splitlines()]
    assert [t.text for t in turns] == expected


def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: no 200 MB written
    assert problem(path) == f"is {200 * 1024 * 1024:,} bytes, over the {DEFAULT_MAX_BYTES:,}-byte limit"


def zip_bomb(path: Path, unpacked_mb: int = 20) -> Path:
    """A .docx-shaped zip whose document.xml is megabytes of one repeated byte."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x20" * (unpacked_mb * 1024 * 1024))
    return write(path, buffer.getvalue())


def test_a_zip_bomb_named_docx_is_not_unpacked(tmp_path, monkeypatch):
    import docx

    opened = []
    monkeypatch.setattr(docx, "Document", lambda *a, **k: opened.append(a))
    path = zip_bomb(tmp_path / "call.docx")
    assert "zip bomb" in problem(path)
    assert opened == []  # python-docx never saw it


def test_the_unpacked_size_limit(tmp_path):
    sample = EXPORTS / "teams.docx"
    assert read_file(sample).turns
    assert "over the 1,000-byte limit" in problem(sample, max_unpacked_bytes=1000)
    assert "would unpack to" in problem(sample, max_bytes=50_000)  # 10 × the file size limit by default


def test_a_docx_that_is_not_a_zip_or_is_damaged(tmp_path):
    assert "not a zip archive" in problem(write(tmp_path / "call.docx", f"Q: why\nA: {SECRET}"))
    data = bytearray((EXPORTS / "otter.docx").read_bytes())
    data[len(data) // 2 : len(data) // 2 + 400] = b"\x00" * 400
    assert "damaged" in problem(write(tmp_path / "broken.docx", bytes(data)))


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nDana: why?\n\n00:00:99.000 --> 00:00:x\nSam: {SECRET}\n", "is malformed WebVTT"),
        (f"Dana: why?\nSam: {SECRET}\n", "is not a WebVTT file"),
        (f"WEBVTT\n\nNOTE {SECRET}\n", "holds no captions"),
    ],
)
def test_malformed_vtt(tmp_path, text, expected):
    assert problem(write(tmp_path / "call.vtt", text)).startswith(expected)


def test_malformed_srt(tmp_path):
    assert "malformed SubRip" in problem(write(tmp_path / "call.srt", f"1\n00:00:01,000 --> soon\n{SECRET}\n"))


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"name": SECRET, "items": [1, 2]}, "is JSON, but not a transcript motive knows"),
        ([1, 2, 3], "is JSON, but not a transcript motive knows"),
        ({"segments": [{"speaker": "SPEAKER_00", "text": 3}]}, "looks like Whisper JSON but its fields are not shaped"),
        ({"utterances": [{"speaker": "A"}]}, "looks like AssemblyAI JSON"),
        ({"results": {"channels": []}}, "looks like Deepgram JSON"),
        ({"monologues": [{"speaker": 0, "elements": "x"}]}, "looks like Rev JSON"),
        ([{"source": "calls/a.txt", "answers": [], "chains": []}], "is a results file written by motive"),
    ],
)
def test_json_of_the_wrong_shape(tmp_path, data, expected):
    assert problem(write(tmp_path / "call.json", json.dumps(data))).startswith(expected)


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_a_results_csv_named_as_a_transcript_says_where_results_are_read_from(tmp_path, separator):
    from motive.output import CSV_COLUMNS

    header = separator.join(CSV_COLUMNS)
    found = problem(write(tmp_path / "results.csv", f"\ufeff{header}\ncalls/a.txt{separator}0{separator}0\n"))
    assert found.startswith("is a results CSV written by 'motive classify', not a transcript") and "-o results.jsonl" in found
    assert problem(write(tmp_path / "notes.csv", "name,note\nSam,bought it\n")) == "is in no format motive reads (files ending in '.csv')"


def test_json_that_does_not_parse(tmp_path):
    assert problem(write(tmp_path / "call.json", '{"segments": [' + "[" * 100_000)) == "is not valid JSON"


def test_one_speaker(tmp_path):
    text = f"Sam: I bought it for the price.\nSam: And because of {SECRET}.\n"
    assert problem(write(tmp_path / "memo.txt", text)) == "has only one speaker, so there is no interviewer to answer"


NO_QUESTIONS = (
    "Interviewer: Tell us about the new scanners.\nCustomer: They read damaged barcodes the first time.\n"
    "Interviewer: Go on.\nCustomer: Picking errors dropped a lot, so we keep our big accounts.\n"
)


def test_no_questions_is_classified_with_a_note(small_model):
    """Chosen: classify it and say so in the result's notes (chains are then guessed from the turn order)."""
    from motive.pipeline import classify

    result = classify(NO_QUESTIONS.replace("Tell us about", "Describe"), model=small_model)
    assert result.ok and len(result.answers) == 2
    assert "the interviewer asks no questions: chains are guessed from the turn order" in result.notes
    unpunctuated = "Q: why did you buy it\nA: it was cheaper\nQ: why is that important\nA: we save money every month\n"
    asr = classify(unpunctuated, model=small_model)  # automatic transcripts have no "?" yet ask
    assert asr.notes == [] and len(asr.answers) == 2


SPANISH = (
    "Entrevistador: ¿Por qué compraron este software de contabilidad?\n"
    "Cliente: Porque importa los extractos del banco automáticamente, y antes lo hacíamos todo a mano.\n"
    "Entrevistador: ¿Y por qué es importante eso?\n"
    "Cliente: El cierre de mes ahora termina en medio día. Antes nos llevaba tres días enteros y siempre había errores.\n"
)


def test_answers_in_another_language_are_classified_with_a_note(small_model, model_folder, tmp_path):
    """Chosen: classify it (a mixed batch keeps going) and say in the notes, and at the end of the run, that the
    labels mean little; English answers, however short or broken, get no such note."""
    from motive.pipeline import classify

    spanish = classify(SPANISH, model=small_model)
    assert spanish.ok and len(spanish.answers) == 2
    assert spanish.notes == ["the answers read as Spanish (es), not English: motive reads English interviews, so these labels mean little"]
    japanese = classify("Q: なぜこの会計ソフトを選んだのですか？\nA: 銀行の明細を自動で取り込めるからです。月末の作業が半日で終わるようになりました。", model=small_model)
    assert japanese.notes and japanese.notes[0].startswith("the answers read as Japanese (ja)")
    for english in (NO_QUESTIONS, "Q: Why?\nA: Price. Speed.\n", "Q: why\nA: is more cheap for us and the machine it no break, my boss very happy\n"):
        assert not [note for note in classify(english, model=small_model).notes if "read as" in note]
    (tmp_path / "calls").mkdir()
    write(tmp_path / "calls" / "es.txt", SPANISH)
    write(tmp_path / "calls" / "en.txt", NO_QUESTIONS.replace("Tell us about", "Why"))
    result = CliRunner().invoke(main, ["classify", str(tmp_path / "calls"), "--model", str(model_folder), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0
    assert f"1 transcript with notes (in their results too):\n  {tmp_path / 'calls' / 'es.txt'}: the answers read as Spanish" in result.stderr


def test_a_file_without_read_permission(tmp_path, monkeypatch):
    path = write(tmp_path / "call.txt", TRANSCRIPT)
    path.chmod(0)
    if os.geteuid() == 0:  # root reads files whatever their permissions: refuse the way the kernel would
        opened = Path.open

        def refuse(self, *args, **kwargs):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return opened(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", refuse)
    try:
        assert problem(path) == "cannot be read: permission denied"
    finally:
        path.chmod(0o644)


def test_a_named_file_that_cannot_be_read_is_skipped_and_the_others_classified(tmp_path, monkeypatch, model_folder):
    """Named on the command line (``calls/*.vtt``) or found in a folder, an unreadable file is one skipped file:
    one without read permission, and one inside a folder that may not be looked into."""
    (tmp_path / "shut").mkdir()
    locked, hidden_in, good = (write(tmp_path / name, TRANSCRIPT) for name in ("locked.txt", "shut/in.txt", "good.txt"))
    real_access, real_open, real_is_dir = os.access, Path.open, Path.is_dir

    def denied(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path) in (locked, hidden_in) else real_access(path, mode, **kw))
    monkeypatch.setattr(Path, "open", lambda self, *a, **kw: denied(self) if self in (locked, hidden_in) else real_open(self, *a, **kw))
    monkeypatch.setattr(Path, "is_dir", lambda self: denied(self) if self == hidden_in else real_is_dir(self))
    result = CliRunner().invoke(main, ["classify", str(locked), str(hidden_in), str(good), "--model", str(model_folder)])
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == [str(good)]
    assert f"{locked}: cannot be read: permission denied" in result.stderr
    assert f"{hidden_in}: cannot be read: permission denied" in result.stderr and "Traceback" not in result.output


def test_a_file_reached_twice_is_classified_once_under_its_own_name(tmp_path, model_folder):
    for folder in ("notes", "links"):
        (tmp_path / folder).mkdir()
    write(tmp_path / "notes" / "call.txt", TRANSCRIPT)
    (tmp_path / "links" / "call-link.txt").symlink_to(tmp_path / "notes" / "call.txt")
    result = CliRunner().invoke(main, ["classify", str(tmp_path), "--model", str(model_folder)])
    assert result.exit_code == 0
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == [str(tmp_path / "notes" / "call.txt")]
    assert (f"1 path reaches a file already listed (named twice, or through a link): each file is classified once "
            f"({tmp_path / 'links' / 'call-link.txt'} is {tmp_path / 'notes' / 'call.txt'})") in result.stderr


def test_named_paths_that_all_do_not_exist_are_a_typo_not_skipped_files(tmp_path, model_folder):
    output = tmp_path / "results.jsonl"
    result = CliRunner().invoke(main, ["classify", str(tmp_path / "calls-typo"), "--model", str(model_folder), "-o", str(output)])
    assert result.exit_code == 1 and f"no such file or folder: {tmp_path / 'calls-typo'}" in result.stderr and not output.exists()
    write(tmp_path / "call.txt", TRANSCRIPT)
    some = CliRunner().invoke(main, ["classify", str(tmp_path / "call.txt"), str(tmp_path / "gone.txt"), "--model", str(model_folder)])
    assert some.exit_code == EXIT_SKIPPED and f"{tmp_path / 'gone.txt'}: does not exist" in some.stderr


def test_a_hard_linked_file_is_classified_once(tmp_path, model_folder):
    write(tmp_path / "call.txt", TRANSCRIPT)
    os.link(tmp_path / "call.txt", tmp_path / "call-copy.txt")
    result = CliRunner().invoke(main, ["classify", str(tmp_path), "--model", str(model_folder)])
    assert result.exit_code == 0
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == [str(tmp_path / "call-copy.txt")]
    assert f"({tmp_path / 'call.txt'} is {tmp_path / 'call-copy.txt'})" in result.stderr
    assert [r.source for r in classify_many([tmp_path / "call.txt", tmp_path / "call-copy.txt"], model=model_folder)] == [
        str(tmp_path / "call.txt")]


def test_symlink_loops_in_a_folder_are_reported_not_followed(tmp_path):
    folder = tmp_path / "calls"
    (folder / "inner").mkdir(parents=True)
    write(folder / "inner" / "a.txt", TRANSCRIPT)
    (folder / "inner" / "back").symlink_to(folder, target_is_directory=True)  # a folder that contains itself
    (folder / "self.txt").symlink_to(folder / "self.txt")  # a link to itself
    (folder / "ping").symlink_to(folder / "pong")
    (folder / "pong").symlink_to(folder / "ping")
    (folder / "shared").symlink_to(folder / "inner", target_is_directory=True)  # followed once only
    (folder / "inner" / "up").symlink_to(tmp_path, target_is_directory=True)  # above the folder asked for
    write(tmp_path / "not-asked-for.txt", TRANSCRIPT)
    found: list = []
    walker = threading.Thread(target=lambda: found.extend(find_transcripts([folder])), daemon=True)
    walker.start()
    walker.join(timeout=10)
    assert not walker.is_alive(), "find_transcripts hung on a symlink loop"
    assert found == [folder / "inner" / "a.txt", folder / "inner" / "back", folder / "inner" / "up", folder / "ping", folder / "pong", folder / "self.txt"]
    assert problem(folder / "inner" / "back") == "is a symbolic link to a folder that contains it (a loop), not followed"
    assert problem(folder / "inner" / "up") == "is a symbolic link to a folder that contains it (a loop), not followed"
    assert problem(folder / "self.txt") == "is a symbolic link loop"
    assert problem(folder / "ping") == "is a symbolic link loop"


def test_other_problems_of_paths(tmp_path):
    assert problem(tmp_path / "missing.txt") == "does not exist"
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    assert problem(tmp_path / "dangling.txt") == "is a broken symbolic link"
    assert problem(tmp_path) == "is a folder, not a file"
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert problem(fifo) == "is not a regular file"
    assert fifo in find_transcripts([tmp_path])  # listed, so that the run names it instead of passing over it


def bad_folder(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder of good and bad files, and the problem each bad file must be skipped with."""
    folder = tmp_path / "calls"
    folder.mkdir()
    write(folder / "a-good.txt", TRANSCRIPT)
    shutil.copy(EXPORTS / "teams.vtt", folder / "b-teams.vtt")
    shutil.copy(EXPORTS / "otter.docx", folder / "c-otter.docx")
    bad = {
        "empty.txt": "is empty",
        "photo.txt": "is a binary file, not a transcript",
        "broken.vtt": "is malformed WebVTT",
        "shape.json": "is JSON, but not a transcript motive knows",
        "bomb.docx": "zip bomb",
        "memo.md": "has only one speaker",
        "loop": "is a symbolic link to a folder that contains it (a loop), not followed",
    }
    write(folder / "empty.txt", b"")
    write(folder / "photo.txt", PNG)
    write(folder / "broken.vtt", f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nDana: why?\n\n00:00:99 --> 1\nSam: {SECRET}\n")
    write(folder / "shape.json", json.dumps({"note": SECRET}))
    zip_bomb(folder / "bomb.docx")
    write(folder / "memo.md", f"Sam: {SECRET}\n")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    return folder, bad


def test_classify_many_keeps_going(tmp_path, small_model):
    folder, bad = bad_folder(tmp_path)
    results = list(classify_many(find_transcripts([folder]), model=small_model))
    assert [Path(r.source).name for r in results if r.ok] == ["a-good.txt", "b-teams.vtt", "c-otter.docx"]
    skipped = {Path(r.source).name: r.error for r in results if not r.ok}
    assert skipped.keys() == bad.keys()
    for name, expected in bad.items():
        assert expected in skipped[name] and SECRET not in skipped[name]


def test_the_command_line_skips_bad_files_and_exits_3(tmp_path, model_folder):
    folder, bad = bad_folder(tmp_path)
    out = tmp_path / "results.jsonl"
    result = CliRunner().invoke(main, ["classify", str(folder), "--model", str(model_folder), "-o", str(out)])
    assert result.exit_code == EXIT_SKIPPED, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [Path(r["source"]).name for r in records] == ["a-good.txt", "b-teams.vtt", "c-otter.docx"]
    assert records[1]["answers"][0]["start"] == 5.65  # times kept
    for name, expected in bad.items():
        assert f"skipped {folder / name}: " in result.stderr
        assert any(line.startswith(f"  {folder / name}: ") and expected in line for line in result.stderr.splitlines())
    assert f"{len(bad)} files skipped:" in result.stderr
    assert SECRET not in result.output and "Traceback" not in result.output


def test_the_run_summary_lists_the_first_notes_and_counts_the_rest():
    from motive.output import Summary
    from motive.results import Result

    summary = Summary()
    for n in range(12):
        summary.add(Result(f"call-{n}.txt", notes=[f"note {n}"]))
    summary.add(Result("broken.txt", error="is empty"))
    lines = summary.lines()
    assert lines[1:3] == ["12 transcripts with notes (in their results too):", "  call-0.txt: note 0"]
    assert lines[11:] == ["  call-9.txt: note 9", "  and 2 more notes", "1 file skipped:", "  broken.txt: is empty"]


@pytest.mark.parametrize("content, said", [
    (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nBT /F1 12 Tf 72 700 Td (Customer: It is fast.) Tj ET\n", "is a PDF, not a transcript"),
    (b"{\\rtf1\\ansi Interviewer: Why?\\par Customer: Price.\\par}", "is an RTF document, not plain text"),
])
def test_documents_that_are_not_plain_text_are_named_whatever_their_file_name(tmp_path, content, said):
    """A PDF with no compressed streams decodes as ASCII; it would be read as speakers like 'BT /F1 12 Tf … (Customer'."""
    assert problem(write(tmp_path / "call.txt", content)).startswith(said)


def test_text_with_a_byte_order_mark_reads_as_its_file_does(tmp_path):
    """open(path, encoding="utf-8") keeps the BOM that Notepad and Excel write; the first turn must not be lost."""
    from motive.transcripts import read_text

    path = write(tmp_path / "call.txt", "\ufeff".encode() + TRANSCRIPT.encode())
    kept = path.read_text(encoding="utf-8")
    assert kept.startswith("\ufeff") and read_text(kept).turns == read_file(path).turns


def test_a_folder_without_transcripts_and_a_path_read_with_its_line_break(small_model, model_folder, tmp_path):
    """A folder of .rtf exports gives a result that says so, not silence; a path read from a file of
    paths (with its line break) is a path, not transcript text."""
    (tmp_path / "exports").mkdir()
    write(tmp_path / "exports" / "call.rtf", "{\\rtf1 Interviewer: Why?}")
    good = write(tmp_path / "good.txt", TRANSCRIPT)
    assert find_transcripts([tmp_path / "exports", good]) == [tmp_path / "exports", good]  # listed for every caller (Dask too)
    results = list(classify_many([tmp_path / "exports", f"{good}\n", "\n", ""], model=small_model))  # blank lines: no paths
    assert [(r.source, r.ok) for r in results] == [(str(tmp_path / "exports"), False), (str(good), True)]
    assert results[0].error.startswith("is a folder that holds no transcripts (motive reads files ending in .docx,")
    result = CliRunner().invoke(main, ["classify", str(tmp_path / "exports"), str(good), "--model", str(model_folder)])
    assert result.exit_code == EXIT_SKIPPED and f"skipped {tmp_path / 'exports'}: is a folder that holds no transcripts" in result.stderr
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == [str(good)]


def test_a_named_file_that_cannot_be_looked_at_is_skipped_not_called_missing(tmp_path, model_folder, monkeypatch):
    import motive.cli

    hidden = tmp_path / "locked" / "call.txt"
    real_lstat = os.lstat

    def lstat(path, *args, **kwargs):
        if str(path) == str(hidden):
            raise PermissionError(13, "Permission denied", str(path))
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(motive.cli.os, "lstat", lstat)
    assert not motive.cli._missing(hidden) and motive.cli._missing(tmp_path / "gone.txt")


def test_a_file_name_that_is_not_utf8_is_written_as_escapes_and_read_back(tmp_path, model_folder):
    folder = tmp_path / "calls"
    folder.mkdir()
    odd = os.fsdecode(os.fsencode(str(folder)) + b"/r\xe9sum\xe9.txt")  # Latin-1 bytes, as an old zip leaves them
    write(Path(odd), TRANSCRIPT)
    output = tmp_path / "results.jsonl"
    for resume in ([], ["--resume"]):
        result = CliRunner().invoke(main, ["classify", str(folder), "--model", str(model_folder), "-o", str(output), *resume])
        assert result.exit_code == 0, result.output
        (record,) = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]  # valid UTF-8
        assert record["source"] == odd and os.path.exists(record["source"])
    piped = CliRunner().invoke(main, ["classify", str(folder), "--model", str(model_folder), "-f", "csv"])
    assert piped.exit_code == 0 and "r\\udce9sum\\udce9.txt" in piped.stdout


def test_the_summary_lists_the_first_skipped_files_again_and_counts_the_rest():
    from motive.output import Summary
    from motive.results import Result

    summary = Summary()
    for n in range(Summary.SKIPPED_SHOWN + 5):
        summary.add(Result(f"empty-{n}.txt", error="is empty"))
    lines = summary.lines()
    assert lines[1] == f"{Summary.SKIPPED_SHOWN + 5} files skipped:" and lines[2] == "  empty-0.txt: is empty"
    assert lines[-1] == "  and 5 more, each named above as it was skipped" and len(lines) == Summary.SKIPPED_SHOWN + 3
