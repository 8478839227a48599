import pytest

from motive.errors import TranscriptError
from motive.roles import find_interviewers
from motive.transcripts import Turn, merge_consecutive, read_file, read_text, speaker_label, split_front_matter


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Interviewer: Why did you buy it?", ("Interviewer", "Why did you buy it?")),
        ("Q: why", ("Q", "why")),
        ("SPEAKER_00: yeah so", ("SPEAKER_00", "yeah so")),
        ("Speaker 1: Hello.", ("Speaker 1", "Hello.")),
        ("Plant Manager: We run three shifts.", ("Plant Manager", "We run three shifts.")),
        ("Dr. Alvarez: Fine.", ("Dr. Alvarez", "Fine.")),
        ("INT: And then?", ("INT", "And then?")),
    ],
)
def test_speaker_labels_people_use(line, expected):
    assert speaker_label(line) == expected


@pytest.mark.parametrize("line", ["00:01:02 hello", "we need three things: speed, price and support", "- a bullet"])
def test_lines_that_are_not_turns(line):
    assert speaker_label(line) is None


def test_continuation_lines_and_merging():
    text = "Q: Why?\nA: Because the old one broke.\nIt broke twice.\nA: And it was slow.\nQ: And then?\nA: We lost orders."
    turns = read_text(text).turns
    assert [t.speaker for t in turns] == ["Q", "A", "Q", "A"]
    assert turns[1].text == "Because the old one broke. It broke twice. And it was slow."
    assert turns[1].line == 2


def test_a_colon_inside_a_long_transcript_is_not_a_speaker():
    text = "\n".join(["Q: Why?", "A: Two things", "Reason one: price.", "Q: Why?", "A: Cost.", "Q: And?", "A: Time."])
    speakers = [t.speaker for t in read_text(text).turns]
    assert "Reason one" not in speakers
    assert read_text(text).turns[1].text == "Two things Reason one: price."


def test_a_speaker_who_speaks_once_to_ask_is_a_speaker():
    lines = ["Dana: Why?", "Priya: Two things", "Sam: Can I ask which two?", "Priya: Price and speed.", "Dana: And?", "Priya: Time."]
    assert [t.speaker for t in read_text("\n".join(lines)).turns] == ["Dana", "Priya", "Sam", "Priya", "Dana", "Priya"]
    # Named by the front matter, a label met once is a speaker even when it asks nothing.
    lines[2] = "Sam: Two things, right."
    assert "Sam" not in {t.speaker for t in read_text("\n".join(lines)).turns}
    named = read_text("---\ninterviewer: Dana, Sam\n---\n" + "\n".join(lines))
    assert [t.speaker for t in named.turns][2] == "Sam"


def test_numbered_questions_and_answers_are_two_speakers():
    text = "Q1: Why the lamp?\nA1: The warm light.\nQ2: Why does that matter?\nA2: I sleep better.\nQ3: Anything else?\nA3: No."
    assert [t.speaker for t in read_text(text).turns] == ["Q", "A"] * 3


def test_names_written_surname_first_are_speakers():
    text = ("Okafor, Chidi: Why did you switch to the new scanners?\n"
            "Álvarez-Núñez, José: Well, the price: it was lower. And they read damaged labels.\n"
            "Okafor, Chidi: Why does that matter?\n"
            "Álvarez-Núñez, José: Yes, Tuesday: we lost no pallets for once.\n")
    turns = read_text(text).turns
    assert [t.speaker for t in turns] == ["Okafor, Chidi", "Álvarez-Núñez, José"] * 2
    # Words before a colon that are not a name are words.
    assert turns[1].text.startswith("Well, the price: it was lower.")
    assert turns[3].text == "Yes, Tuesday: we lost no pallets for once."
    # A name-like comma phrase opening a line once is words too, unless it asks (a second interviewer).
    once = text + "Okafor, Chidi: And then?\nÁlvarez-Núñez, José: We shipped on time.\nYes, Tuesday: a record.\n"
    assert [t.speaker for t in read_text(once).turns][-1] == "Álvarez-Núñez, José"
    assert [t.speaker for t in read_text(once + "Lee, Dana: Why a record?\n").turns][-1] == "Lee, Dana"
    assert [t.speaker for t in read_text("Q: Why?\nA: Price.\nYes, Tuesday: we met.\nQ: And?\nA: Time.\n").turns] == ["Q", "A", "Q", "A"]


def test_headers_with_names_written_surname_first():
    text = "Okafor, Chidi   0:03\nWhy did you buy it?\nLee, Dana (Acme)   0:09\nFor the support.\nOkafor, Chidi   0:15\nWhy?\n"
    turns = read_text(text).turns
    assert [(t.speaker, t.start) for t in turns] == [("Okafor, Chidi", 3.0), ("Lee, Dana (Acme)", 9.0), ("Okafor, Chidi", 15.0)]


def test_front_matter_is_metadata():
    metadata, body = split_front_matter(["---", "segment: retail", "won: yes", "---", "Q: Why?"])
    assert metadata == {"segment": "retail", "won": "yes"} and body == 4
    transcript = read_text("---\nsegment: retail\n---\nQ: Why?\nA: Price.")
    assert transcript.metadata == {"segment": "retail"}
    assert len(transcript.turns) == 2


def test_front_matter_may_say_a_key_twice():
    transcript = read_text("---\nsegment: retail\ntag: pilot\ntag: renewal\ninterviewer: Dana\n---\nDana: Why?\nSam: Price.")
    assert transcript.metadata == {"segment": "retail", "tag": "renewal", "interviewer": "Dana"}
    assert [t.speaker for t in transcript.turns] == ["Dana", "Sam"]


def test_rules_between_sections_are_neither_front_matter_nor_words():
    transcript = read_text("---\nDana: Why did you buy the tent?\nSam: It is light.\n---\nDana: Why does that matter?\nSam: I go further.\n* * *\nDana: And?\nSam: I feel young.")
    assert transcript.metadata == {}
    assert [(t.speaker, t.text) for t in transcript.turns][:2] == [("Dana", "Why did you buy the tent?"), ("Sam", "It is light.")]
    assert [t.text for t in transcript.turns][3] == "I go further."


def test_notes_headed_pros_and_cons_in_answers_are_words_not_speakers():
    text = ("Dana: Why did you pick Brightline?\nSam: I made a list.\nPros: it syncs with Outlook.\nCons: the app is slow.\n"
            "Dana: And the other one?\nSam: Same list.\nPros: nicer app.\nCons: twice the price.\nNote: a three-year contract.\n")
    turns = read_text(text).turns
    assert [t.speaker for t in turns] == ["Dana", "Sam", "Dana", "Sam"]
    assert turns[3].text == "Same list. Pros: nicer app. Cons: twice the price. Note: a three-year contract."
    # A note heading that answers a question is a speaker's label after all (a role some transcripts use).
    assert {t.speaker for t in read_text("Dana: Why?\nNote: Because.\nDana: And?\nNote: Price.").turns} == {"Dana", "Note"}


def test_a_documents_lines_are_not_kept_after_it_is_read():
    from motive.formats.speaker_lines import labelled_line

    read_text("Dana: Why the tent?\nSam: It is light, and my card is 4111 1111 1111 1111.")
    assert labelled_line.cache_info().currsize == 0


def test_corpus_annotation_lines_are_not_text():
    transcript = read_text("Q: Why?\n@root\nA: Price.\n@output")
    assert [t.text for t in transcript.turns] == ["Why?", "Price."]


def test_merge_consecutive_keeps_times():
    merged = merge_consecutive([Turn("A", "one", 1, 0.0, 1.0), Turn("A", "two", 2, 1.0, 2.5), Turn("B", "x", 3)])
    assert merged == [Turn("A", "one two", 1, 0.0, 2.5), Turn("B", "x", 3)]


@pytest.mark.parametrize(
    "text, problem",
    [("", "no speaker turns"), ("just some notes\nwithout speakers", "no speaker turns"), ("A: one\nA: two", "only one speaker")],
)
def test_transcripts_without_an_interview(text, problem):
    with pytest.raises(TranscriptError, match=problem):
        read_text(text, "call.txt")


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16"])
def test_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "call.txt"
    path.write_bytes("Q: Warum haben Sie gekauft?\nA: Wegen der Qualität - und weil es günstig war.".encode(encoding))
    assert "Qualität" in read_file(path).turns[1].text


def test_file_errors_name_the_file_not_the_content(tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00secret")
    with pytest.raises(TranscriptError) as caught:
        read_file(binary)
    assert str(binary) in str(caught.value) and "secret" not in str(caught.value)
    with pytest.raises(TranscriptError, match="does not exist"):
        read_file(tmp_path / "missing.txt")
    big = tmp_path / "big.txt"
    big.write_text("Q: Why?\nA: " + "word " * 1000)
    with pytest.raises(TranscriptError, match="over the 100-byte limit"):
        read_file(big, max_bytes=100)


LAYOUTS_OF_ONE_INTERVIEW = {
    "time before the label": "[00:00:05] Anna: Why the desk?\n[00:00:12] Ben: One button.\n[00:00:20] Anna: Why does that matter?\n[00:00:31] Ben: No more back pain.",
    "bare time before the label": "00:00:05 Anna: Why the desk?\n00:00:12 Ben: One button.\n00:00:20 Anna: Why does that matter?\n00:00:31 Ben: No more back pain.",
    "time after the label (Rev)": "Anna (00:05):\nWhy the desk?\n\nBen (00:12):\nOne button.\n\nAnna (00:20):\nWhy does that matter?\n\nBen (00:31):\nNo more back pain.",
    "Markdown bold": "# Notes\n\n**Anna:** Why the desk?\n**Ben:** One button.\n**Anna**: Why does that matter?\n**Ben**: No more back pain.",
    "labels on their own lines": "Anna:\nWhy the desk?\n\nBen:\nOne button.\nAnna: Why does that matter?\nBen:\nNo more back pain.",
    "Otter, one space before the time": "Anna 0:05\nWhy the desk?\n\nBen 0:12\nOne button.\n\nAnna 0:20\nWhy does that matter?\n\nBen 0:31\nNo more back pain.",
}


@pytest.mark.parametrize("layout", LAYOUTS_OF_ONE_INTERVIEW)
def test_the_layouts_transcription_tools_write_give_the_same_turns(layout):
    turns = read_text(LAYOUTS_OF_ONE_INTERVIEW[layout]).turns
    assert [(t.speaker, t.text) for t in turns] == [
        ("Anna", "Why the desk?"), ("Ben", "One button."), ("Anna", "Why does that matter?"), ("Ben", "No more back pain.")
    ]
    if "time" in layout:
        assert [t.start for t in turns] == [5.0, 12.0, 20.0, 31.0]


def test_a_name_with_its_company_in_brackets_above_its_turn():
    turns = read_text("Interviewer 00:00\nWhy the desk?\n\nJane Doe (Acme Corp) 00:05\nOne button.\n").turns
    assert [(t.speaker, t.text, t.start) for t in turns] == [("Interviewer", "Why the desk?", 0.0), ("Jane Doe (Acme Corp)", "One button.", 5.0)]


def test_text_that_looks_like_a_label_stays_in_the_answer():
    text = "\n".join([
        "Date: 3 March 2024",  # a header line, not a speaker
        "Q: Why that tent?", "A: It is light. For example:", "it weighs under two kilos.",
        "Q: Why does that matter?", "A: My diary says:", "10:30 Meeting: we planned the ridge.",
        "Q: And then?", "A: I go further.", "For example:", "the whole ridge trail.",
    ])
    turns = read_text(text).turns
    assert [t.speaker for t in turns] == ["Q", "A"] * 3
    assert turns[1].text == "It is light. For example: it weighs under two kilos."
    assert turns[3].text == "My diary says: 10:30 Meeting: we planned the ridge." and turns[3].start is None
    assert turns[5].text == "I go further. For example: the whole ridge trail."


def test_turns_stamped_in_plain_text_end_where_the_next_starts():
    turns = read_text("[00:05] Anna: Why?\n[00:12] Ben: One button.\n[00:20] Anna: And?\n[00:31] Ben: Less pain.").turns
    assert [(t.start, t.end) for t in turns] == [(5.0, 12.0), (12.0, 20.0), (20.0, 31.0), (31.0, None)]


def test_the_front_matter_names_the_interviewer_whatever_the_key_case():
    text = "---\nInterviewers: Dana\n---\nPriya: Why do you ask?\nDana: Why did you buy it?\nPriya: Price.\n"
    assert read_text(text).metadata == {"interviewer": "Dana"}


def test_hand_typed_transcripts():
    # A header block saying who is who, above a transcript with the same labels, is metadata.
    header = "Call notes\nInterviewer: Dana Lee\nParticipant: Sam Ortiz\nDate: 3 March 2026\n\nInterviewer: Why?\nParticipant: Price.\n"
    transcript = read_text(header)
    assert [t.text for t in transcript.turns] == ["Why?", "Price."] and transcript.metadata["Participant"] == "Sam Ortiz"
    # The same block above turns labelled by the names it gives, or by first names, is metadata too.
    for dana, sam in (("Dana Lee", "Sam Ortiz"), ("Dana", "Sam")):
        named = read_text(header.replace("Interviewer: Why?", f"{dana}: Why?").replace("Participant: Price.", f"{sam}: Price."))
        assert [(t.speaker, t.text) for t in named.turns] == [(dana, "Why?"), (sam, "Price.")] and named.metadata["Date"] == "3 March 2026"
    # Labels typed in different cases are one speaker; "#" and hour:minute AM/PM stamps are read.
    cases = read_text("INTERVIEWER: Why?\nSam: Price.\nInterviewer: And?\nSAM: Speed.\nInterviewer: Thanks.\n")
    assert [t.speaker for t in cases.turns] == ["Interviewer", "Sam"] * 2 + ["Interviewer"]
    assert {t.speaker for t in read_text("Interviewer: Why?\nParticipant #12: Price.\nInterviewer: And?\nParticipant #12: Speed.\n").turns} == {
        "Interviewer", "Participant #12"}
    chat = read_text("[10:02 AM] Dana Lee: Why did you buy it?\n[10:03 AM] Sam Ortiz: The price.\n")
    assert [t.speaker for t in chat.turns] == ["Dana Lee", "Sam Ortiz"]
    # Full-width colons and question marks (Chinese, Japanese).
    japanese = read_text("田中：よろしくお願いします。\n佐藤：なぜこのソフトを導入されたのですか？\n田中：締め作業に三日かかっていました。\n")
    assert [t.speaker for t in japanese.turns] == ["田中", "佐藤", "田中"]
    assert find_interviewers(japanese.turns) == ["佐藤"]


def test_a_role_written_beside_a_name():
    text = "Dana (Interviewer): Where did it start?\nSam (Customer): Where do you want me to start?\nDana (Interviewer): Anywhere.\nSam (Customer): Reships.\n"
    assert find_interviewers(read_text(text).turns) == ["Dana (Interviewer)"]


def test_participants_listed_in_a_header_are_speakers():
    text = ("Participants: Dana Lee (Northwind), Priya Shah, Gareth Hughes\n\nDana Lee: Why did you switch?\nPriya Shah: Phoning patients.\n"
            "Gareth Hughes: And half never picked up.\nDana Lee: Why does that matter?\nPriya Shah: Empty chairs.\n")
    assert "Gareth Hughes" in {t.speaker for t in read_text(text).turns}


def test_a_transcript_sent_in_an_e_mail():
    quoted = ("From: Dana Lee <dana@example.com>\nSubject: Interview 3\n\nHi all,\n\n> Dana: Why did you buy the scanners?\n"
              "> Sam: Mis-picks.\n> Dana: Why do they matter?\n> Sam: Each costs a reship.\n\nBest,\nDana\n")
    assert [(t.speaker, t.text) for t in read_text(quoted).turns] == [
        ("Dana", "Why did you buy the scanners?"), ("Sam", "Mis-picks."), ("Dana", "Why do they matter?"), ("Sam", "Each costs a reship.")]
    signed = "Dana: Why?\nSam: Price.\nDana: And?\nSam: Our CFO.\n\nBest,\nDana\n--\nDana Lee | Northwind\nPhone: +44 20 7946 0958\n"
    assert read_text(signed).turns[-1].text == "Our CFO."


def test_a_full_name_on_the_first_turn_then_a_first_name():
    text = "Dana Lee: Why did you buy it?\nSam Ortiz: Mis-picks.\nDana: Why do they matter?\nSam: A reship each.\nDana: And?\nSam: Our CFO.\n"
    assert [t.speaker for t in read_text(text).turns] == ["Dana", "Sam"] * 3
    two = "Interviewer: Why?\nCustomer: Price.\nCustomer 2: Speed.\nInterviewer: And?\nCustomer: Cost.\nCustomer 2: Time.\n"
    assert {t.speaker for t in read_text(two).turns} == {"Interviewer", "Customer", "Customer 2"}


def test_speakers_set_apart_by_a_tab():
    text = "DANA\tWhy did you buy it?\nSAM\tMis-picks.\nDANA\tWhy do they matter?\nSAM\tA reship each.\n"
    assert [(t.speaker, t.text) for t in read_text(text).turns][:2] == [("DANA", "Why did you buy it?"), ("SAM", "Mis-picks.")]


@pytest.mark.parametrize("text, speakers", [
    # An interviewer "Sam" and a customer "Sam Ortiz" answering each other are two people.
    ("Sam: What does Acme do?\nSam Ortiz: Bookkeeping.\nSam: Why Ledgerly?\nSam Ortiz: Quarterly VAT.\n", ["Sam", "Sam Ortiz"] * 2),
    # Greetings before a blank line are speech, not a header block.
    ("Call notes\nInterviewer: Hi Sam\nCustomer: Hi Dana\n\nInterviewer: Why did you buy it?\nCustomer: Price.\n",
     ["Interviewer", "Customer"] * 2),
    # A support chat quoted in one answer stays in that answer.
    ("Interviewer: Why did you switch?\nCustomer: Support. Look:\n> Agent: Please wait.\n> Me: Still waiting.\n> Agent: Please wait.\n"
     "> Me: Hello?\nInterviewer: Why does that matter?\nCustomer: Lost orders.\n", ["Interviewer", "Customer"] * 2),
    # A price table pasted with tabs into an answer is words.
    ("Interviewer: What did you pay?\nCustomer: Here:\nPro\tJanuary\t$49\nPro\tFebruary\t$49\nTeam\tApril\t$199\nTeam\tMay\t$199\n"
     "Interviewer: Why the change?\nCustomer: We grew.\n", ["Interviewer", "Customer"] * 2),
])
def test_reading_rules_leave_ordinary_transcripts_alone(text, speakers):
    assert [t.speaker for t in read_text(text).turns] == speakers


def test_an_e_mail_read_out_in_the_last_answer_stays_in_it():
    text = ("Interviewer: Why did you buy it?\nCustomer: Price.\nInterviewer: What sealed it?\nCustomer: I wrote to them:\nHi there,\n"
            "Do you offer a discount?\nThanks,\nMaya\nThey came back within an hour with twenty percent off, and that sealed it.\n")
    assert read_text(text).turns[-1].text.endswith("and that sealed it.")


def test_a_display_name_with_a_nickname_in_quotes_is_a_speaker():
    assert speaker_label('"Big" Tom: The pickup truck.') == ('"Big" Tom', "The pickup truck.")
    assert speaker_label('Robert \u201cBob\u201d Smith: Because it tows.') == ('Robert \u201cBob\u201d Smith', "Because it tows.")
    assert speaker_label('"Yes": that is what he said.') is None  # a quoted word alone is speech
    assert speaker_label('"Cheaper" was the answer: every time.') is None
