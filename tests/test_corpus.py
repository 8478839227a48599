import json
from pathlib import Path

import pytest

from motive.corpus import check, distinct_ngram_share, parse_interview, read_interviews, read_table, stats
from motive.errors import CorpusError

HEADER = "---\nid: x\ninterviewer: Q\n---\n"


def test_the_hand_written_corpus_parses(interviews):
    translation = next(i for i in interviews if i.id == "translation")
    assert [a.label for a in translation.answers] == ["none", "output", "output", "outcome", "outcome"]
    assert translation.chain_of == [None, 0, 0, 0, 1]
    assert translation.terminals == [3, 4]
    assert translation.answers[3].driver == "mitigate-risk"
    assert translation.answers[3].evidence == "Lawsuits, bad PR, overall ugliness."
    cabinets = next(i for i in interviews if i.id == "cabinets")
    assert cabinets.answers[0].question is None and cabinets.terminals == [2, None]


@pytest.mark.parametrize(
    "body, problem",
    [
        ("Q: Why?\n@root\nA: Price.\n", "no label line"),
        ("Q: Why?\nA: Price.\n@output\n", "no @root, @probe or @aside"),
        ("Q: Why?\n@probe\nA: Price.\n@output\n", "probe before any root"),
        ("Q: Why?\n@root\nA: Price.\n@outcome driver=more-money\n", "driver='more-money'"),
        ("Q: Why?\n@root\nA: Price.\n@outcome terminal evidence=\"cheap\"\n", "evidence is not an exact part"),
        ("Q: Why?\n@root\nA: Less stress.\n@outcome\n", "1 terminal mark|0 terminal marks"),
        ("Q: Why?\n@root\nA: Price.\n@output terminal\n", "only an outcome answer"),
        ("Q: Why?\n@root\nA: Price.\n@output\n@none\n", "more than one label"),
        ("Q: Why?\n@root\nA: Price.\n@output colour=red\n", "unknown annotation field"),
        ("Q: Why?\n@root leadingg\nA: Price.\n@output\n", "unknown annotation field 'leadingg'"),
        ("Q: Why?\n@roots\nA: Price.\n@output\n", "'@roots' after a question; expected one of root, probe, aside \\(did you mean @root\\?\\)"),
        ("Q: Why?\n@root\nA: Price.\n@output driver=mitigate-risk\n", "bad.txt:8: driver= and discipline= belong to outcome answers"),
        ("register: shouty\n---\nQ: Why?\n@root\nA: Price.\n@output\n", "register: 'shouty' is not one of"),
    ],
)
def test_format_problems_name_the_file_and_line(body, problem):
    header = HEADER[: -len("---\n")] if body.startswith("register:") else HEADER
    with pytest.raises(CorpusError, match=problem) as caught:
        parse_interview(header + body, "bad.txt")
    assert str(caught.value).startswith("bad.txt")


def test_interviewer_must_be_named_and_speak():
    with pytest.raises(CorpusError, match="no 'interviewer:'"):
        parse_interview("---\nid: f\n---\nQ: Why?\n@root\nA: x\n@none", "f.txt")
    with pytest.raises(CorpusError, match="never speaks"):
        parse_interview("---\ninterviewer: Moderator\n---\nQ: Why?\n@root\nA: x\n@none", "f.txt")


GROUP = """---
id: group
interviewer: Dana, Sam
---
Dana: Why did you two choose the van lease?
@root
Marco: The vans come with racking fitted.
Lena: And the lease includes servicing.
@output
Sam: Why does the racking matter?
Dana: For the techs, I mean.
@probe
Marco: They find parts in seconds.
@output
Dana: And why is that important?
@probe
Lena: Five calls a tech instead of four.
Marco: That's real revenue.
@outcome terminal driver=increase-revenue evidence="That's real revenue."
"""


def test_a_group_interview_labels_each_joined_question_and_answer_once():
    interview = parse_interview(GROUP, "group.txt")
    assert interview.interviewers == ("Dana", "Sam")
    assert [(a.speaker, a.label, a.question_kind) for a in interview.answers] == [
        ("Marco, Lena", "output", "root"), ("Marco", "output", "probe"), ("Lena, Marco", "outcome", "probe")]
    assert interview.answers[1].question == "Why does the racking matter? For the techs, I mean."
    assert interview.terminals == [2]
    labelled_twice = GROUP.replace("Marco: The vans come with racking fitted.\n", "Marco: The vans come with racking fitted.\n@output\n")
    with pytest.raises(CorpusError, match="group.txt:7: answer has more than one label line .*label it once, after its last turn"):
        parse_interview(labelled_twice, "group.txt")
    with pytest.raises(CorpusError, match="every speaker is named as an interviewer"):
        parse_interview(GROUP.replace("Dana, Sam", "Dana, Sam, Marco, Lena"), "group.txt")


def test_the_corpus_and_the_interviews_outside_its_splits_check_clean():
    corpora = Path(__file__).parent.parent / "corpora"
    assert check([corpora / "interviews", corpora / "money", corpora / "group", corpora / "unseen"]) == []
    group = read_interviews([corpora / "group"])
    assert len(group) == 24 and sum(len(i.interviewers) > 1 for i in group) >= 12
    assert sum(any(", " in a.speaker for a in i.answers) for i in group) >= 12  # answers given by two respondents in turn


def test_check_reports_each_bad_file(tmp_path):
    body = "Q: Why?\n@root\nA: Price.\n@output\n"
    (tmp_path / "good.txt").write_text(HEADER.replace("id: x", "id: good") + body)
    (tmp_path / "bad.txt").write_text(HEADER.replace("id: x", "id: bad") + "Q: Why?\nA: Price.\n")
    (tmp_path / "a-renamed.txt").write_text(HEADER.replace("id: x", "id: good") + body)  # met before good.txt
    (tmp_path / "twin").mkdir()
    (tmp_path / "twin" / "good.txt").write_text(HEADER.replace("id: x", "id: good") + body)
    (tmp_path / "folder.txt").mkdir()  # a folder is no corpus file, whatever its name
    (tmp_path / "rows.csv").write_text("text,label\nA drill,output\n")
    (tmp_path / "twin" / "rows.jsonl").write_text('{"text": "A drill", "label": "outputs"}\n')
    problems = {p.source: p.problem for p in check([tmp_path])}
    assert problems == {
        str(tmp_path / "bad.txt"): "answer has no label line (@output, @outcome or @none)",
        str(tmp_path / "a-renamed.txt"): f"id 'good' is taken by {tmp_path / 'good.txt'}",  # the file named after it owns it
        str(tmp_path / "twin" / "good.txt"): f"id 'good' is taken by {tmp_path / 'good.txt'}",
        str(tmp_path / "twin" / "rows.jsonl"): "label 'outputs' is not one of output, outcome, none (did you mean 'output'?)",
    }


def test_a_folder_gives_its_corpus_files_and_its_tables(tmp_path):
    from motive.training import read_labelled

    (tmp_path / "b.txt").write_text(HEADER.replace("id: x", "id: b") + "Q: Why?\n@root\nA: Price.\n@output\n")
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "rows.csv").write_text("text,label\nMore money for me,outcome\n")
    data = read_labelled([tmp_path])
    assert [i.id for i in data.interviews] == ["b"] and data.tables == [("More money for me", "outcome")]
    assert data.files == [tmp_path / "b.txt", tmp_path / "more" / "rows.csv"]


def test_hidden_files_in_folders_are_left_out_and_tab_separated_tables_read(tmp_path):
    from motive.corpus import find_labelled, label_map_onto_labels

    (tmp_path / "rows.tsv").write_text("text\tlabel\nA drill, two batteries\toutput\n")
    (tmp_path / "._rows.csv").write_bytes(b"\x00\x05\x16\x07")  # macOS AppleDouble
    (tmp_path / ".backup.csv").write_text("text,label\nA drill,output\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("not an interview")
    assert find_labelled([tmp_path]) == [tmp_path / "rows.tsv"]
    assert find_labelled([tmp_path, tmp_path / "rows.tsv", tmp_path / "." / "rows.tsv"]) == [tmp_path / "rows.tsv"]  # listed once
    assert read_table(tmp_path / "rows.tsv") == [("A drill, two batteries", "output")]
    with pytest.raises(ValueError, match="'Feature' is mapped twice, onto output and outcome"):
        label_map_onto_labels({"feature": "output", "Feature": "outcome"})


def test_a_transcript_without_labels_is_named_as_such():
    with pytest.raises(CorpusError, match="is not a labelled interview: it has no front matter"):
        parse_interview("Interviewer: Why?\nCustomer: Price.\n", "call.txt")


def test_front_matter_left_open_is_named_with_its_line():
    with pytest.raises(CorpusError, match=r"^call.txt:2: front matter is not closed: a second '---' line ends it"):
        parse_interview("\n---\nid: call\ninterviewer: Interviewer\nInterviewer: Why?\n@root\nCustomer: Price.\n@output\n", "call.txt")


def test_stats(interviews):
    figures = stats(interviews)
    assert figures["interviews"] == 5
    assert figures["answers"] == sum(figures["labels"].values()) == 24
    assert figures["chains"] == 8 and figures["chains_without_outcome"] == 2
    assert 0 < figures["distinct_3gram_share"] <= 1
    json.dumps(figures)


def test_distinct_ngram_share():
    assert distinct_ngram_share(["a b c d"], 3) == 1.0
    assert distinct_ngram_share(["a b c", "a b c"], 3) == 0.5


def test_tables_with_a_label_map(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("text,label\nWe need it in German,feature\nMore money for me,benefit\nhi,none\n")
    assert read_table(rows, {"feature": "output", "benefit": "outcome"}) == [
        ("We need it in German", "output"),
        ("More money for me", "outcome"),
        ("hi", "none"),
    ]
    with pytest.raises(CorpusError, match="'feature' is not one of"):
        read_table(rows)
    lines = tmp_path / "rows.jsonl"
    lines.write_text('{"text": "cheaper", "label": "output"}\n{"oops": 1}\n')
    with pytest.raises(CorpusError, match="rows.jsonl:2"):
        read_table(lines)


def test_tables_as_spreadsheets_write_them(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("Text ; Label\nA drill, two batteries;Feature \nMore money for me;OUTCOME\n")  # Excel in much of Europe
    assert read_table(rows, {" feature": "Output"}) == [("A drill, two batteries", "output"), ("More money for me", "outcome")]
    with pytest.raises(ValueError, match="'outputs' is not one of output, outcome, none"):
        read_table(rows, {"feature": "outputs"})


def test_tables_in_other_encodings_and_their_mistakes_by_line(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("text,label\n\"Caf\u00e9 au lait, cheaper\",output\nWe sell more,outcome\n".encode("cp1252"))
    assert read_table(latin) == [("Caf\u00e9 au lait, cheaper", "output"), ("We sell more", "outcome")]
    wide = tmp_path / "wide.jsonl"
    wide.write_bytes('{"text": "na\u00efve", "label": "none"}\n'.encode("utf-16"))
    assert read_table(wide) == [("na\u00efve", "none")]
    for name, content, where, problem in [
        ("blank.csv", "text,label\nok,none\n  ,output\n", "blank.csv:3", "the row has no text"),
        ("null.jsonl", '{"text": "ok", "label": "none"}\n{"text": null, "label": "none"}\n', "null.jsonl:2", "the row has no text"),
        ("quote.csv", 'text,label\n"two\nlines",output\n"never closed,output\nok,none\n', "quote.csv:4", "an unclosed quote"),
        ("label.csv", 'text,label\n"two\nlines",output\nok,outcom\n', "label.csv:4", "'outcom' is not one of"),
        ("short.csv", "text,label\nA drill with two batteries\nok,none\n", "short.csv:2", "the row has no label"),
        ("unlabelled.jsonl", '{"text": "A drill", "label": null}\n', "unlabelled.jsonl:1", "the row has no label"),
        ("header.csv", "words,tag\nA drill,output\n", "header.csv:1", "the header 'words,tag' has no 'text' and 'label' column"),
    ]:
        (tmp_path / name).write_text(content)
        with pytest.raises(CorpusError, match=f"{where}: .*{problem}"):
            read_table(tmp_path / name)


def test_a_misspelt_annotation_is_one_problem_and_read_as_the_name_it_is_closest_to():
    problems = []
    text = HEADER + "Q: Why?\n@roots\nA: Price.\n@output\nQ: Why does price matter?\n@probe\nA: We keep the margin.\n@outcom terminal\n"
    interview = parse_interview(text, "typo.txt", problems.append)
    assert [str(problem) for problem in problems] == [
        "typo.txt:6: '@roots' after a question; expected one of root, probe, aside (did you mean @root?)",
        "typo.txt:12: '@outcom' after an answer; expected one of output, outcome, none (did you mean @outcome?)",
    ]  # and no probe before a root, no chain without its terminal why
    assert [(a.question_kind, a.label, a.terminal) for a in interview.answers] == [("root", "output", False), ("probe", "outcome", True)]


def test_a_misspelt_flag_or_value_gets_the_name_it_is_closest_to():
    problems = []
    text = HEADER + "Q: Why?\n@root\nA: We keep the margin.\n@outcome terminl driver=emotinal-need\n"
    interview = parse_interview(text, "typo.txt", problems.append)
    assert [str(problem) for problem in problems] == [
        "typo.txt:8: driver='emotinal-need' is not one of increase-revenue, decrease-cost, mitigate-risk, emotional-need "
        "(did you mean 'emotional-need'?)",
        "typo.txt:8: unknown annotation field 'terminl' (did you mean 'terminal'?)",
    ]  # and no chain without its terminal why
    assert interview.answers[0].terminal


def test_a_table_motive_wrote_for_spreadsheets_reads_back_its_words(tmp_path):
    from motive.corpus import read_table

    table = tmp_path / "corrected.csv"  # classify -o corrected.csv, then the labels corrected in a spreadsheet
    header = "source,answer,chain,question_kind,label,confidence,terminal,speaker,question,text"
    table.write_text(f"\ufeff{header}\na.txt,0,0,root,output,0.9,False,Sam,Why?,\"'- well, +20% margin\"\n"
                     "a.txt,1,0,probe,outcome,0.8,True,Sam,Why?,'=the total\n", encoding="utf-8")
    assert read_table(table) == [("- well, +20% margin", "output"), ("=the total", "outcome")]
    own = tmp_path / "own.csv"  # a table of one's own keeps its words
    own.write_text("text,label\n'- ' means a pause,none\n")
    assert read_table(own) == [("'- ' means a pause", "none")]
