"""Every export format motive reads, on a sample shaped as the tool exports it
(tests/data/exports, made by make_samples.py there)."""

import json
import shutil
from pathlib import Path

import pytest

from motive.errors import TranscriptError
from motive.formats.base import clock_seconds
from motive.formats.captions import split_speaker
from motive.pipeline import classify_many
from motive.transcripts import find_transcripts, read_file, read_text
from tests.conftest import DATA

EXPORTS = DATA / "exports"

# sample → (format, interviewer, respondent, turns, words the respondent's deepest answer holds, timed)
SCHEDULING = ("four in the morning", 10)
SCANNERS = ("two big accounts", 8)
LEDGER = ("making payroll", 8)
SAMPLES = {
    "zoom.vtt": ("vtt", "Dana Whitfield", "Sam Ortiz", SCHEDULING, True),
    "zoom-saved-captions.txt": ("zoom-captions", "Priya Nair", "Tom Becker", SCANNERS, True),
    "teams.vtt": ("vtt", "Elena Rossi", "Mark Chen", LEDGER, True),
    "teams.docx": ("docx", "Priya Nair", "Tom Becker", SCANNERS, True),
    "meet.docx": ("docx", "Elena Rossi", "Mark Chen", LEDGER, False),
    "otter.txt": ("text", "Dana Whitfield", "Unknown Speaker", SCHEDULING, True),
    "otter.docx": ("docx", "Elena Rossi", "Mark Chen", LEDGER, True),
    "otter.srt": ("srt", "Priya Nair", "Tom Becker", SCANNERS, True),
    "whisperx.json": ("whisper", "SPEAKER_00", "SPEAKER_01", SCHEDULING, True),
    "faster-whisper.json": ("whisper", "SPEAKER_00", "SPEAKER_01", SCANNERS, True),
    "whisperx.srt": ("srt", "SPEAKER_00", "SPEAKER_01", LEDGER, True),
    "whisperx.vtt": ("vtt", "SPEAKER_00", "SPEAKER_01", SCHEDULING, True),
    "assemblyai.json": ("assemblyai", "Speaker A", "Speaker B", SCANNERS, True),
    "deepgram.json": ("deepgram", "Speaker 0", "Speaker 1", LEDGER, True),
    "rev.json": ("rev", "Speaker 0", "Speaker 1", SCHEDULING, True),
    "plain.txt": ("text", "Priya", "Tom", SCANNERS, False),
    "plain.md": ("text", "Elena", "Mark", LEDGER, False),
}


def test_every_sample_is_listed():
    assert sorted(p.name for p in find_transcripts([EXPORTS])) == sorted(SAMPLES)


def test_a_model_folder_among_transcripts_is_not_read_as_transcripts(model_folder, tmp_path):
    shutil.copytree(model_folder, tmp_path / "study" / "our-model")  # its card is Markdown, its config JSON
    (tmp_path / "study" / "call.txt").write_text("Interviewer: Why?\nCustomer: It is cheaper.\n")
    assert find_transcripts([tmp_path / "study"]) == [tmp_path / "study" / "call.txt"]
    shutil.copy(tmp_path / "study" / "call.txt", tmp_path / "study" / "our-model" / "call-2.md")  # trained into the calls' folder
    assert find_transcripts([tmp_path / "study"]) == [tmp_path / "study" / "call.txt", tmp_path / "study" / "our-model" / "call-2.md"]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_export_reads_into_alternating_turns(name):
    fmt, interviewer, respondent, (deepest, count), timed = SAMPLES[name]
    transcript = read_file(EXPORTS / name)
    turns = transcript.turns
    assert transcript.format == fmt
    assert [t.speaker for t in turns] == [interviewer, respondent] * (count // 2)
    assert turns[0].text.endswith("?") and "why" in turns[0].text.lower()
    assert any(deepest in t.text for t in turns if t.speaker == respondent)
    assert not any("Transcribed by" in t.text or "transcription" in t.text or "Meeting ended" in t.text for t in turns)
    if timed:
        assert all(t.start is not None for t in turns)
        assert all(a.start < b.start for a, b in zip(turns, turns[1:]))
        assert all(t.end is not None and t.end >= t.start for t in turns[:-1])


def test_caption_cues_merge_into_whole_turns():
    raw = (EXPORTS / "zoom.vtt").read_text(encoding="utf-8")
    assert raw.count("-->") > 20  # cut every few seconds
    answer = read_file(EXPORTS / "zoom.vtt").turns[5]
    assert answer.text.startswith("Because when a shift is empty") and answer.text.endswith("exhausted all week.")
    assert answer.end - answer.start > 10


def test_the_teams_sample_has_the_quirks_teams_writes():
    raw = (EXPORTS / "teams.vtt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfWEBVTT\r\n") and b"\r\n" in raw
    assert b"0:0:1.200 --> " in raw and b"/12-0\r\n" in raw
    cues = raw.decode("utf-8-sig").split("\r\n\r\n")[1:]
    assert any("<v " in cue and "</v>" not in cue for cue in cues)  # a missing </v>
    turns = read_file(EXPORTS / "teams.vtt").turns
    assert not any("<" in t.text or ">" in t.text for t in turns)
    assert turns[1].text == "It pulls the insurance payments straight from the bank feed and matches them to each patient invoice."


def test_meet_summary_is_not_speech():
    turns = read_file(EXPORTS / "meet.docx").turns
    assert not any("Reason for switching" in t.text or "Gemini" in t.text for t in turns)
    assert {t.speaker for t in turns} == {"Elena Rossi", "Mark Chen"}
    assert turns[0].start == 0.0  # the bare timestamp line before it


@pytest.mark.parametrize("closing", ["Meeting ended after 00:41:07 👋", "Transcription ended after 00:09:41", "Recording ended after 00:12:03"])
def test_the_line_a_meeting_tool_ends_its_transcript_with_is_not_speech(closing):
    text = f"00:00:00\nElena Rossi: Why did you switch?\nMark Chen: The old tool kept crashing.\n\n{closing}\n"
    assert [t.text for t in read_text(text).turns] == ["Why did you switch?", "The old tool kept crashing."]


def test_speech_that_starts_like_a_closing_line_is_kept():
    text = "Priya Nair  0:05\nWhy did you switch?\n\nSam Ortega  0:09\nRecording ended after an hour on the old camera, every time.\n"
    assert [t.text for t in read_text(text).turns][1] == "Recording ended after an hour on the old camera, every time."


def test_teams_docx_line_breaks_inside_a_paragraph():
    import docx

    paragraphs = [p.text for p in docx.Document(str(EXPORTS / "teams.docx")).paragraphs]
    assert any(p.startswith("Tom Becker   0:") and "\n" in p for p in paragraphs)
    assert read_file(EXPORTS / "teams.docx").turns[1].start == 6.0


def test_plain_markdown_keeps_front_matter():
    assert read_file(EXPORTS / "plain.md").metadata == {"segment": "healthcare", "interviewer": "Elena"}


def test_formats_are_told_by_content_too(tmp_path):
    for name in ("teams.vtt", "whisperx.srt"):
        renamed = tmp_path / (name + ".txt")
        shutil.copy(EXPORTS / name, renamed)
        assert read_file(renamed).turns == read_file(EXPORTS / name).turns
    no_suffix = tmp_path / "call"
    shutil.copy(EXPORTS / "assemblyai.json", no_suffix)
    assert read_file(no_suffix).format == "assemblyai"
    docx_named_otherwise = tmp_path / "call.bin"
    shutil.copy(EXPORTS / "otter.docx", docx_named_otherwise)
    assert read_file(docx_named_otherwise).format == "docx"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[SPEAKER_00]: why is that", ("SPEAKER_00", "why is that")),
        ("[SPEAKER_01] because", ("SPEAKER_01", "because")),
        ("Sam Ortiz: It was cheaper.", ("Sam Ortiz", "It was cheaper.")),
        ("and it was cheaper", (None, "and it was cheaper")),
    ],
)
def test_speaker_prefixes_in_captions(text, expected):
    assert split_speaker(text) == expected


def test_styled_captions_and_two_speakers_in_one_cue():
    srt = (
        '1\n00:00:01,000 --> 00:00:03,000\n<font color="#ffffff">Anna: Why the desk?</font>\n\n'
        "2\n00:00:04,000 --> 00:00:06,000\n<i>Ben:</i> One button.\n\n"
        "3\n00:00:07,000 --> 00:00:09,000\n- Anna: Why does that matter?\n- Ben: No more\nback pain.\n"
    )
    turns = read_text(srt, "call.srt", ".srt").turns
    assert [(t.speaker, t.text) for t in turns] == [
        ("Anna", "Why the desk?"), ("Ben", "One button."), ("Anna", "Why does that matter?"), ("Ben", "No more back pain.")
    ]


def test_captions_without_speakers_say_so():
    text = "WEBVTT\n\n00:00.000 --> 00:02.000\nwhy did you buy it\n\n00:02.000 --> 00:04.000\nit was cheap\n"
    with pytest.raises(Exception, match="names no speakers"):
        read_text(text, "call.vtt", ".vtt")


def test_a_whisperx_segment_without_a_speaker_takes_its_words_speaker():
    words = [{"word": "It", "speaker": "SPEAKER_01"}, {"word": "goes"}, {"word": "up.", "speaker": "SPEAKER_01"}]
    segments = [
        {"start": 5.0, "end": 10.0, "text": "Why the desk?", "speaker": "SPEAKER_00"},
        {"start": 12.0, "end": 17.0, "text": "It goes up.", "words": words},
        {"start": 20.0, "end": 25.0, "text": "Why does that matter?", "speaker": "SPEAKER_00"},
        {"start": 26.0, "end": 28.0, "text": "And then?"},  # no speaker anywhere: the last speaker's
        {"start": 31.0, "end": 36.0, "text": "No more back pain.", "speaker": "SPEAKER_01"},
    ]
    turns = read_text(json.dumps({"segments": segments}), "call.json", ".json").turns
    assert [(t.speaker, t.text) for t in turns] == [
        ("SPEAKER_00", "Why the desk?"), ("SPEAKER_01", "It goes up."), ("SPEAKER_00", "Why does that matter? And then?"), ("SPEAKER_01", "No more back pain.")
    ]


def test_diarization_missing_from_json_says_so():
    segments = json.dumps({"segments": [{"start": 0.0, "end": 1.0, "text": "why did you buy it"}]})
    with pytest.raises(Exception, match="without speaker labels"):
        read_text(segments, "call.json", ".json")
    with pytest.raises(Exception, match="is AssemblyAI JSON without speaker labels"):
        read_text(json.dumps({"id": "x", "utterances": None}), "call.json", ".json")


@pytest.mark.parametrize("value, expected", [("0:35", 35.0), ("00:01:02", 62.0), ("1:02:03", 3723.0), ("0:0:4.12", 4.12), ("noon", None)])
def test_clock_times(value, expected):
    assert clock_seconds(value) == expected


def test_every_sample_classifies_with_times_in_the_results(small_model):
    results = list(classify_many(sorted(EXPORTS.glob("*.*")), model=small_model))
    assert [r.source for r in results if not r.ok] == [str(EXPORTS / "make_samples.py")]  # not a transcript
    for result in (r for r in results if r.ok):
        name = Path(result.source).name
        _, interviewer, respondent, (deepest, count), timed = SAMPLES[name]
        assert result.interviewer == interviewer, name
        assert [a.speaker for a in result.answers] == [respondent] * (count // 2), name
        assert any(deepest in a.text for a in result.answers)
        if timed:
            assert all(a.start is not None for a in result.answers), name
            record = result.to_dict()
            assert isinstance(record["answers"][0]["start"], float) and json.dumps(record)


@pytest.mark.slow
def test_the_default_model_on_every_export():
    """Real behaviour on every sample: the respondent's answers found and labelled,
    the deepest answer an outcome, times kept for timed formats."""
    results = list(classify_many(sorted(find_transcripts([EXPORTS]))))
    assert all(r.ok for r in results), [(r.source, r.error) for r in results if not r.ok]
    for result in results:
        name = Path(result.source).name
        _, interviewer, respondent, (deepest, count), timed = SAMPLES[name]
        assert result.interviewer == interviewer, name
        assert [a.speaker for a in result.answers] == [respondent] * (count // 2), name
        assert all(a.label in {"output", "outcome", "none"} for a in result.answers)
        deepest_answer = next(a for a in result.answers if deepest in a.text)
        assert deepest_answer.label == "outcome", (name, deepest_answer.probabilities)
        assert result.answers[0].label == "output", (name, result.answers[0].text, result.answers[0].probabilities)
        assert result.chains and any(c.terminal is not None for c in result.chains), name
        if timed:  # formats that stamp only a turn's start end it where the next turn starts
            assert all(a.start is not None for a in result.answers), name
            assert all(a.end is not None for a in result.answers[:-1]), name


def test_format_libraries_load_only_when_a_file_needs_them():
    import subprocess
    import sys

    check = (
        "import sys, motive.cli, motive.transcripts, motive.formats; "
        "print([m for m in ('docx', 'webvtt', 'srt', 'lxml', 'charset_normalizer') if m in sys.modules])"
    )
    assert subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_a_voice_heard_once_is_still_a_speaker():
    cue = "{n}\n00:00:0{n}.000 --> 00:00:0{n}.900\n<v {who}>{text}</v>\n"
    lines = [("Dana", "Why did you buy it?"), ("Sam", "It was cheaper."), ("Dana", "Why does that matter?"),
             ("Sam", "We save money."), ("Lee", "Sorry, I have to drop."), ("Dana", "Thanks!")]
    text = "WEBVTT\n\n" + "\n".join(cue.format(n=n, who=who, text=t) for n, (who, t) in enumerate(lines))
    assert [t.speaker for t in read_text(text, "call.vtt", ".vtt").turns] == ["Dana", "Sam", "Dana", "Sam", "Lee", "Dana"]


@pytest.mark.parametrize("name", [
    "María del Carmen García López",  # five words, a particle among them
    "Priya Patel (Smile Dental Group)",  # who they are, after the name
    "Chidi Okafor | Contoso",
    "王小红 (Wang Xiaohong)",  # a script without capitals
    "Gareth 🦷 Hughes",
    "Okafor, Chidi",
])
def test_display_names_as_meeting_tools_show_them(name):
    vtt = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nDana Whitfield: Why did you buy the scheduler?\n\n"
           f"2\n00:00:05.000 --> 00:00:09.000\n{name}: The shift templates.\n\n"
           "3\n00:00:10.000 --> 00:00:12.000\nDana Whitfield: Why do they matter?\n\n"
           f"4\n00:00:13.000 --> 00:00:16.000\n{name}: Fridays back.\n")
    turns = read_text(vtt, "call.vtt").turns
    assert [(t.speaker, t.text) for t in turns[1::2]] == [(name, "The shift templates."), (name, "Fridays back.")]


def test_an_email_address_names_the_speaker_in_otter_headers():
    text = "chidi.okafor@contoso.com  0:03\nWhy did you buy it?\n\nGareth Hughes  0:11\nThe tracking.\n\nchidi.okafor@contoso.com  0:18\nWhy?\n"
    assert [t.speaker for t in read_text(text).turns] == ["chidi.okafor@contoso.com", "Gareth Hughes", "chidi.okafor@contoso.com"]


def test_where_labels_carry_times_only_they_open_turns():
    # Rev: "Name (00:07):" above the words. Words with a colon are words, and a person met once speaks.
    rev = ("Chidi Okafor (00:03):\nSo what made you pick Brightline?\n\nGareth Hughes (00:07):\nHonestly: the bank feeds.\n\n"
           "Chidi Okafor (00:11):\nWhy do the bank feeds matter?\n\nGareth Hughes (00:14):\nBottom line: my Sundays.\n\n"
           "Anne-Marie Dubois (00:19):\nSorry, why are Sundays a problem?\n\nGareth Hughes (00:22):\nHonestly: I was exhausted.\n\n"
           "Chidi Okafor (00:26):\nAnd now?\n\nGareth Hughes (00:28):\nBottom line: I rest.\n")
    turns = read_text(rev).turns
    assert [t.speaker for t in turns] == ["Chidi Okafor", "Gareth Hughes"] * 2 + ["Anne-Marie Dubois", "Gareth Hughes"] + ["Chidi Okafor", "Gareth Hughes"]
    assert turns[3].text == "Bottom line: my Sundays." and turns[3].start == 14.0


def test_meet_attendees_are_speakers_even_when_heard_once():
    text = ("Customer interview - Transcript\n\nAttendees\nChidi Okafor, Priya Patel, Gareth Hughes\nTranscript\n00:00:00\n\n"
            "Chidi Okafor: So why did your practice switch?\nPriya Patel: The online booking.\nChidi Okafor: Why does that matter?\n"
            "Priya Patel: Our no-show rate fell.\nGareth Hughes: And the front desk is calmer.\nChidi Okafor: Why is that important?\n"
            "Priya Patel: Every empty chair costs us.\n")
    assert [t.speaker for t in read_text(text).turns][3:5] == ["Priya Patel", "Gareth Hughes"]


def test_voice_names_are_unescaped_like_the_words():
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v O&apos;Brien, Siobhán>Why the R&amp;D tool?</v>\n\n"
           "00:00:04.000 --> 00:00:06.000\n<v Lee, Dana>Speed.</v>\n")
    assert [t.speaker for t in read_text(vtt, "call.vtt").turns] == ["O'Brien, Siobhán", "Lee, Dana"]


def test_a_utf8_file_with_one_line_in_windows_1252_reads_every_line(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("Chidi: ¿Por qué lo compró?\nJosé Álvarez: Por el precio.\nChidi: ¿Y?\n".encode() + "José Álvarez: Más café.\n".encode("cp1252"))
    assert [t.speaker for t in read_file(path).turns] == ["Chidi", "José Álvarez"] * 2


def test_teams_transcripts_from_before_2022_time_each_block():
    text = ("0:0:3.0 --> 0:0:10.98\nOkafor, Chidi\nWhat made you buy it?\n\n0:0:11.58 --> 0:0:17.66\nHughes, Gareth\nThe live tracking.\n\n"
            "0:0:18.26 --> 0:0:21.3\nOkafor, Chidi\nWhy does it matter?\n\n0:0:21.9 --> 0:0:30.26\nHughes, Gareth\nFewer phone calls.\n")
    turns = read_text(text).turns
    assert [(t.speaker, t.text, t.start, t.end) for t in turns[:2]] == [
        ("Okafor, Chidi", "What made you buy it?", 3.0, 10.98), ("Hughes, Gareth", "The live tracking.", 11.58, 17.66)]
    assert len(turns) == 4


@pytest.mark.parametrize("answer, words", [
    ("Roughly:\n9:00 Standup: we go over open tickets.\n10:30 Triage: I sort the urgent ones.\n13:00 Dispatch: vans go out.\n"
     "16:00 Review: my manager signs off.", "9:00 Standup: we go over open tickets."),  # times in the words are no Rev labels
    ("Mostly good. The calendar view 😍: everyone loves it.\nSync with Outlook — still flaky: that's the one complaint.",
     "Sync with Outlook — still flaky: that's the one complaint."),
    ("Our sales director got fed up.\nMy boss said: why do we pay for something nobody opens?", "My boss said: why do we pay"),
    ("Slowly at first.\nQ1: flat, we were still migrating.\nQ2: a small bump.\nQ3: up twelve percent.", "Q3: up twelve percent."),
    ("In stages.\nStep 1: the big clinics.\nStep 2: the rest.\nStep 3: the labs.", "Step 3: the labs."),
])
def test_words_with_a_colon_stay_the_customers(answer, words):
    text = f"Q: Walk me through it.\nA: {answer}\nQ: Why?\nA: It saved us a day a week.\n"
    turns = read_text(text).turns
    assert [t.speaker for t in turns] == ["Q", "A", "Q", "A"] and words in turns[1].text


def test_a_voice_tag_keeps_the_cue_whole():
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Dana Whitfield>Why did you switch?</v>\n\n"
           "00:00:04.000 --> 00:00:09.000\n<v Marco Rossi>Three things: price, speed, support.</v>\n")
    assert read_text(vtt, "call.vtt").turns[1].text == "Three things: price, speed, support."


def test_a_sound_tag_is_not_a_speaker():
    srt = ("1\n00:00:01,000 --> 00:00:03,000\n[SPEAKER_00]: Why did you switch?\n\n"
           "2\n00:00:04,000 --> 00:00:06,000\n[SPEAKER_01]: It kept crashing.\n\n3\n00:00:06,500 --> 00:00:08,000\n[laughs] Honestly a nightmare.\n")
    turns = read_text(srt, "call.srt").turns
    assert [t.speaker for t in turns] == ["SPEAKER_00", "SPEAKER_01"] and turns[1].text.endswith("[laughs] Honestly a nightmare.")


def test_otter_headers_win_over_colon_lines_in_an_answer():
    steps = "\n".join(f"Step {n}: stage {n}." for n in range(1, 6))
    text = f"Dana Whitfield  0:04\nHow did you roll it out?\n\nMarco Rossi  0:09\nIn stages.\n{steps}\n\nDana Whitfield  0:30\nWhy?\n\nMarco Rossi  0:33\nRisk.\n"
    assert [t.speaker for t in read_text(text).turns] == ["Dana Whitfield", "Marco Rossi"] * 2


def test_fireflies_headers_with_a_dash_before_the_time_and_an_attendees_line():
    text = ("Gym membership interview\nAttendees: Ana Costa, Peter Novak\n\nAna Costa - 00:03\nWhy did you buy the annual membership?\n\n"
            "Peter Novak - 00:07\nIt includes the pool: unlimited classes too.\n\nAna Costa - 00:13\nWhy do the hours matter?\n\n"
            "Peter Novak - 01:16\nI work night shifts.\n")
    turns = read_text(text, "gym.txt").turns
    assert [(t.speaker, t.text, t.start) for t in turns] == [
        ("Ana Costa", "Why did you buy the annual membership?", 3.0), ("Peter Novak", "It includes the pool: unlimited classes too.", 7.0),
        ("Ana Costa", "Why do the hours matter?", 13.0), ("Peter Novak", "I work night shifts.", 76.0)]


def test_a_schedule_in_a_fireflies_answer_is_words():
    text = ("Dana Lee - 00:00\nWalk me through a normal day before the app.\nSam Ortiz - 00:09\nIt was all by phone:\n"
            "Deliveries - 5:30\nSupplier calls - 10:15\nand those calls ate the morning.\nDana Lee - 00:41\nWhy did that matter?\n"
            "Sam Ortiz - 00:45\nI should be baking.\n")
    turns = read_text(text, "call.txt").turns
    assert [t.speaker for t in turns] == ["Dana Lee", "Sam Ortiz"] * 2
    assert "Supplier calls - 10:15" in turns[1].text


def test_a_participants_line_above_the_turns_is_not_a_turn():
    for text in ("Participants: Ana, Peter\nAna: Why the membership?\nPeter: The pool.\n",
                 "Attendees\nAna, Peter\n\nAna: Why the membership?\nPeter: The pool.\n"):
        assert [t.speaker for t in read_text(text, "call.txt").turns] == ["Ana", "Peter"]
    with pytest.raises(TranscriptError, match="holds no speaker turns"):  # not "has only one speaker": Attendees
        read_text("Attendees: Ana Costa, Peter Novak\n\nAna Costa at 00:03 said hello\nPeter Novak at 00:07 said hi\n", "call.txt")


def test_a_person_who_speaks_once_in_old_teams_blocks():
    text = ("0:0:3.0 --> 0:0:9.0\nOkafor, Chidi\nWhy the new rota tool?\n\n0:0:10.0 --> 0:0:15.0\nLee, Dana\nSelf-rostering.\n\n"
            "0:0:16.0 --> 0:0:19.0\nHughes, Gareth\nAnd it never crashed.\n\n0:0:20.0 --> 0:0:22.0\nOkafor, Chidi\nWhy does that matter?\n\n"
            "0:0:23.0 --> 0:0:26.0\nLee, Dana\nMondays are calm.\n")
    assert [t.speaker for t in read_text(text).turns] == ["Okafor, Chidi", "Lee, Dana", "Hughes, Gareth", "Okafor, Chidi", "Lee, Dana"]


def test_the_one_answer_of_a_short_interview_keeps_its_speaker():
    text = ("Interviewer: How did you roll the app out?\nCustomer: In three stages.\nStep 1: the big clinics.\nStep 2: the rest.\n"
            "Step 3: the labs.\nInterviewer: Why the big clinics first?\n")
    turns = read_text(text).turns
    assert [t.speaker for t in turns] == ["Interviewer", "Customer", "Interviewer"]
    assert turns[1].text == "In three stages. Step 1: the big clinics. Step 2: the rest. Step 3: the labs."


def test_zoom_cues_without_a_name_are_somebody_zoom_could_not_name():
    cues = ["Chidi Okafor: Thanks for joining.", "Chidi Okafor: Why did you switch?", "Priya Patel: The online booking.",
            "Priya Patel: Patients book at midnight.", "And it sends the reminders.", "Chidi Okafor: Why do the reminders matter?",
            "Fewer no-shows."]
    vtt = "WEBVTT\n\n" + "\n".join(f"{n}\n00:00:{2 * n:02d}.000 --> 00:00:{2 * n + 1:02d}.000\n{cue}\n" for n, cue in enumerate(cues, 1))
    turns = read_text(vtt, "call.vtt").turns
    assert [t.speaker for t in turns] == ["Chidi Okafor", "Priya Patel", "Unknown speaker", "Chidi Okafor", "Unknown speaker"]
    # Captions that name a speaker where the speaker changes: a cue without a name goes on with the turn.
    changes = vtt.replace("2\n00:00:04.000 --> 00:00:05.000\nChidi Okafor: ", "2\n00:00:04.000 --> 00:00:05.000\n")
    assert changes != vtt
    assert "Unknown speaker" not in {t.speaker for t in read_text(changes, "call.vtt").turns}


def test_notes_under_a_markdown_heading_are_not_speech():
    text = ("# Call with Sam\n\n**Interviewer:** Why route optimisation?\n**Sam:** Too many miles.\n**Interviewer:** Why does that matter?\n"
            "**Sam:** Fuel is our biggest cost.\n\n## Next steps\n- Send pricing\n- Book a demo with their CFO\n")
    turns = read_text(text, "call.md").turns
    assert turns[-1].text == "Fuel is our biggest cost."


def test_label_lines_read_as_a_person_would_read_them():
    # Times after words in an answer are no Otter headers; a long run of tabs is read at once.
    schedule = "Dana: Walk me through a day.\nBen: Meetings.\nStandup 9:00\nReview 14:00\nRetro 16:30\nDana: Why?\nBen: Too many.\n"
    assert [t.speaker for t in read_text(schedule).turns] == ["Dana", "Ben", "Dana", "Ben"]
    assert [t.speaker for t in read_text("Dana: Why?\nBen: Because.\nTotal" + "\t" * 600 + "42\n").turns] == ["Dana", "Ben"]
    # Numbered questions with plain answers: one interviewer.
    numbered = "Q1: Why the lamp?\nA: The light.\nQ2: Tell me more about that.\nA: I sleep better.\n"
    assert [t.speaker for t in read_text(numbered).turns] == ["Q", "A", "Q", "A"]
    # A phrase after the interviewer's question is the interviewer's words, not a person replying.
    example = ("Interviewer: Can you walk me through a typical day?\nFor example: when you open the app.\nCustomer: Sure.\n"
               "Interviewer: Why?\nCustomer: Speed.\nInterviewer: And?\nCustomer: Cost.\n")
    assert [t.speaker for t in read_text(example).turns][:2] == ["Interviewer", "Customer"]


def test_an_answer_that_is_a_number_in_old_teams_blocks():
    text = ("0:0:1.0 --> 0:0:3.0\nOkafor, Chidi\nHow many vans?\n0:0:4.0 --> 0:0:5.0\nLee, Dana\n12\n"
            "0:0:6.0 --> 0:0:8.0\nOkafor, Chidi\nWhy that many?\n0:0:9.0 --> 0:0:11.0\nLee, Dana\nThree depots.\n")
    assert [(t.speaker, t.text) for t in read_text(text).turns][:2] == [("Okafor, Chidi", "How many vans?"), ("Lee, Dana", "12")]


def test_a_word_transcript_laid_out_as_a_table(tmp_path):
    import docx

    document = docx.Document()
    for line in ("Project: Kestrel interviews", "Interviewer: Dana Lee (Northwind)", "Participant: Sam Ortiz", "Date: 13 March 2024"):
        document.add_paragraph(line)
    table = document.add_table(rows=0, cols=3)
    for row in (("Time", "Speaker", "Text"), ("00:00:10", "Interviewer", "Why did you buy the scanners?"),
                ("00:01:11", "Participant", "Mis-picks."), ("00:01:30", "Interviewer", "Why do they matter?"),
                ("00:01:41", "Participant", "Each one costs a reship.")):
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value
    document.save(tmp_path / "call.docx")
    transcript = read_file(tmp_path / "call.docx")
    assert [(t.speaker, t.text, t.start) for t in transcript.turns][:2] == [
        ("Interviewer", "Why did you buy the scanners?", 10.0), ("Participant", "Mis-picks.", 71.0)]
    assert transcript.metadata["Project"] == "Kestrel interviews"  # the cover block is not the interview


def test_a_schedule_in_an_otter_answer_is_words():
    text = ("Dana Lee  0:02\nWalk me through a day.\n\nSam Ortiz  0:06\nRoughly:\nArrival 7:30\nBriefing 8:15\nAdmin 17:30\n"
            "and admin was the killer.\n\nDana Lee  0:20\nWhy?\n\nSam Ortiz  0:24\nUnpaid hours.\n")
    turns = read_text(text).turns
    assert [t.speaker for t in turns] == ["Dana Lee", "Sam Ortiz"] * 2
    assert turns[1].text == "Roughly: Arrival 7:30 Briefing 8:15 Admin 17:30 and admin was the killer."


def _transcribe_json(words: list[tuple[str, str | None, str]], speaker_on_items: bool) -> str:
    """Amazon Transcribe output: (speaker, start, word) per item; punctuation items have no time."""
    items, segments = [], []
    for speaker, start, word in words:
        if start is None:
            items.append({"alternatives": [{"confidence": "0.0", "content": word}], "type": "punctuation"})
            continue
        item = {"start_time": start, "end_time": f"{float(start) + 0.4:.3f}", "alternatives": [{"confidence": "0.99", "content": word}],
                "type": "pronunciation"}
        if speaker_on_items:
            item["speaker_label"] = speaker
        items.append(item)
        segments.append({"start_time": start, "speaker_label": speaker, "items": [{"start_time": start, "speaker_label": speaker}]})
    results = {"transcripts": [{"transcript": " ".join(w for _, _, w in words)}], "items": items}
    if not speaker_on_items:
        results["speaker_labels"] = {"speakers": 2, "segments": segments}
    return json.dumps({"jobName": "call", "results": results, "status": "COMPLETED"})


@pytest.mark.parametrize("speaker_on_items", [False, True])
def test_amazon_transcribe_json(tmp_path, speaker_on_items):
    words = [("spk_0", "1.000", "Why"), ("spk_0", "1.400", "that"), ("spk_0", "1.800", "tool"), ("spk_0", None, "?"),
             ("spk_1", "3.000", "It"), ("spk_1", "3.400", "saves"), ("spk_1", "3.800", "hours"), ("spk_1", None, ".")]
    path = tmp_path / "call.json"
    path.write_text(_transcribe_json(words, speaker_on_items))
    transcript = read_file(path)
    assert transcript.format == "transcribe"
    assert [(t.speaker, t.text, t.start, t.end) for t in transcript.turns] == [
        ("spk_0", "Why that tool?", 1.0, 2.2), ("spk_1", "It saves hours.", 3.0, 4.2)]


def test_deepgram_utterances(tmp_path):
    """Deepgram with utterances=true groups the words itself; a file trimmed to the utterances is read too."""
    data = {"metadata": {"request_id": "x"}, "results": {"utterances": [
        {"start": 0.5, "end": 2.0, "speaker": 0, "transcript": "Why that tool?"},
        {"start": 2.5, "end": 4.0, "speaker": 1, "transcript": "It saves hours."}]}}
    path = tmp_path / "call.json"
    path.write_text(json.dumps(data))
    assert [(t.speaker, t.text, t.start) for t in read_file(path).turns] == [("Speaker 0", "Why that tool?", 0.5), ("Speaker 1", "It saves hours.", 2.5)]


def test_labels_without_a_space_after_the_colon():
    """Some note-taking tools write "Dana:Why…"; read so only where the usual reading finds fewer than two speakers."""
    text = "Dana:Why did you buy it?\nSam:It was cheap.\nDana:Why does that matter?\nSam:More margin. Details: https://x.com\n"
    assert [(t.speaker, t.line) for t in read_text(text).turns] == [("Dana", 1), ("Sam", 2), ("Dana", 3), ("Sam", 4)]
    assert read_text(text).turns[3].text == "More margin. Details: https://x.com"


@pytest.mark.parametrize("header", ["Sam Ortiz  {}", "[Sam Ortiz] {}", "Sam Ortiz - {}"])
def test_time_stamps_past_ninety_nine_minutes_keep_their_turns(header):
    turns = [("Dana Lee", "99:40", "Why did you buy the printer?"), ("Sam Ortiz", "99:45", "It prints bigger parts in one piece."),
             ("Dana Lee", "99:51", "Why does one piece matter?"), ("Sam Ortiz", "100:00", "The customer trusts a clean moulded part.")]
    text = "\n\n".join(f"{header.replace('Sam Ortiz', name).format(time)}\n{said}" for name, time, said in turns) + "\n"
    transcript = read_text(text)
    assert [t.text for t in transcript.turns][-1] == "The customer trusts a clean moulded part."
    assert len(transcript.turns) == 4 and transcript.turns[-1].start == 6000.0
    assert clock_seconds("101:75") is None and clock_seconds("1:75:00") is None  # no time: seconds and minutes stop at 59
