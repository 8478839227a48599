"""Insights over results: segments and their tests, themes, messaging gap, means-end map, diagnostics, JSON."""

import io
import json
import re
import shutil

import numpy as np
import pytest
from click.testing import CliRunner

from motive.cli import main
from motive.errors import MotiveError
from motive.gap import compare, format_gap, read_messages
from motive.insights import (
    attach_metadata, build_insights, chain_views, diagnose, format_insights, leading_reason, permutation_p, read_metadata,
    read_results_jsonl, shares,
)
from motive.results import Answer, Chain, Result
from motive.themes import distinctive_words, find_themes
from motive.valuemap import build_value_map, implication_matrix
from tests.conftest import CORPUS


def answer(label, text="words", driver=None, discipline=None, question="Why?"):
    return Answer(text=text, question=question, speaker="C", label=label, confidence=0.9, chain=0, sentences=[text],
                  evidence=text, driver=driver, discipline=discipline)


def interview(source, labels, driver="emotional-need", discipline="intimacy", **metadata):
    """One result holding one chain with these labels; its last outcome answer is the terminal why."""
    answers = [answer(l, f"{source} {n}", driver if l == "outcome" else None, discipline if l == "outcome" else None)
               for n, l in enumerate(labels)]
    outcomes = [i for i, l in enumerate(labels) if l == "outcome"]
    chain = Chain(list(range(len(labels))), outcomes[-1] if outcomes else None, "thing → outcome")
    return Result(source, answers, [chain], "Q", dict(metadata))


def two_segments(b_driver="decrease-cost"):
    a = [interview(f"a{i}.txt", ["output", "outcome"], "emotional-need", "intimacy", market="consumer") for i in range(10)]
    b = [interview(f"b{i}.txt", ["output", "outcome"], b_driver, "operational", market="b2b") for i in range(10)]
    return a + b


def test_segments_that_differ_are_flagged_with_intervals():
    found = build_insights(two_segments())
    assert build_insights(iter(two_segments())).to_dict() == found.to_dict()  # classify_many's stream counts the same
    (market,) = found.segments
    tests = {t.measure: t for t in market.tests}
    assert tests["driver"].significant and tests["driver"].p_value < 0.01
    assert tests["discipline"].significant
    assert not tests["reached"].significant  # every chain reached an outcome in both
    consumer = next(g for g in market.groups if g.value == "consumer")
    emotional = next(s for s in consumer.drivers if s.value == "emotional-need")
    assert (emotional.count, emotional.total, emotional.share) == (10, 10, 1.0)
    assert any("consumer: emotional-need 100%" in f for f in market.findings)


def test_a_difference_must_hold_over_every_test_of_the_run():
    from dataclasses import replace

    from motive.comparisons import SegmentTest, adjust_for_multiple_tests

    (market,) = build_insights(two_segments()).segments
    borderline = replace(market, tests=[SegmentTest("driver", 4.0, 0.02, True)] + [SegmentTest(m, 0.1, 0.9, False) for m in ("reached", "discipline")])
    alone = adjust_for_multiple_tests([borderline])[0]
    assert alone.tests[0].p_adjusted == 0.06 and not alone.tests[0].significant and alone.findings == []
    strong = adjust_for_multiple_tests([replace(borderline, tests=[SegmentTest("driver", 9.0, 0.001, True)] + borderline.tests[1:])])[0]
    assert strong.tests[0].significant and strong.findings[0].startswith("market — driver differs between segments (p=0.001, 0.003 adjusted)")


def test_metadata_keys_left_out_of_the_segments_are_named_with_why(tmp_path):
    from motive.report import render_report

    results = [interview(f"calls/{n}.txt", ["outcome"]) for n in range(4)]
    for n, result in enumerate(results):
        result.metadata = {"owner": f"person {n}", "tier": "gold", "id": str(n)}
    found = build_insights(results)
    assert found.segments == [] and found.keys_not_compared == {"owner": "4 values held by one interview each", "tier": "one value only"}
    assert "Metadata not compared: owner (4 values held by one interview each); tier (one value only)" in format_insights(found)
    assert "No metadata key can be compared" in render_report(found, results)


def test_segment_values_differing_in_case_are_one_segment():
    results = [interview(f"calls/{n}.txt", ["outcome"]) for n in range(5)]
    for result, tier in zip(results, ["Gold", "gold ", "Gold", "silver", "Silver"]):
        result.metadata = {"tier": tier}
    (tier,) = build_insights(results).segments
    assert [(g.value, g.interviews) for g in tier.groups] == [("Gold", 3), ("silver", 2)]  # a tie: the first met
    assert results[1].metadata == {"tier": "gold "}  # the results themselves are left as they are


def test_segments_that_do_not_differ_are_not_flagged():
    (market,) = build_insights(two_segments(b_driver="emotional-need")).segments
    driver = next(t for t in market.tests if t.measure == "driver")
    assert not driver.significant and driver.p_value > 0.5
    assert not any("driver" in f for f in market.findings)


def test_permutation_test_and_bootstrap_resample_interviews():
    counts = np.asarray([[3, 0]] * 8 + [[0, 3]] * 8, dtype=float)
    statistic, p = permutation_p(counts, np.asarray(["x"] * 8 + ["y"] * 8))
    assert statistic == pytest.approx(48.0) and p < 0.01
    (first, second) = shares(counts, ["a", "b"])
    assert first.share == 0.5 and first.low < 0.5 < first.high and first.total == 48


def test_a_key_with_one_value_or_unique_values_is_no_segment():
    results = [interview(f"i{n}.txt", ["outcome"], id=f"i{n}", market="b2b", date=f"2024-01-0{n}") for n in range(5)]
    assert build_insights(results).segments == []


def test_diagnostics_count_stops_whys_and_leading_questions():
    results = [
        interview("a.txt", ["output", "output", "outcome"]),
        interview("b.txt", ["output", "output"]),
        interview("c.txt", ["outcome"]),
        interview("d.txt", ["none"]),
    ]
    results[1].answers[1].question = "So it's really about the price, right?"
    d = diagnose(chain_views(results))
    assert (d.chains, d.reached) == (4, 2)
    assert [s["source"] for s in d.stopped_at_output] == ["b.txt"] and d.stopped_elsewhere == 1
    assert d.whys_to_outcome == {0: 1, 2: 1} and d.mean_whys_to_outcome == 1.0
    assert [q["source"] for q in d.leading_questions] == ["b.txt"]


@pytest.mark.parametrize("question, leading", [
    ("Why is that important?", False),
    ("What would happen if it broke?", False),
    ("So it's really about saving money.", True),
    ("Was safety part of it?", True),
    ("And that keeps the customers happy, right?", True),
    ("Is there anything else?", False),
    ("Right. So it's really about reputation?", True),  # an acknowledgement before it is read past
    ("Okay, so it's really about cutting repair costs.", True),  # and one before "so" and a comma
    ("Okay, so, first, is it cool if I record?", False),
    ("Right.", False), ("yeah", False), ("Okay, got it.", False),  # back-channels ask nothing
    ("M" + "m" * 60 + ", interesting. Why is that?", False),  # and take no time to read (no backtracking)
])
def test_leading_questions(question, leading):
    assert (leading_reason(question) is not None) is leading


def test_themes_on_synthetic_vectors():
    texts = ["more time with my kids", "time with the kids at home", "kids and family time",
             "lower cost per unit", "cost of the parts down"]
    vectors = np.asarray([[1, 0.1, 0], [1, 0, 0.1], [0.9, 0.1, 0.1], [0, 1, 0.1], [0.1, 1, 0]])
    themes, assignment = find_themes(texts, vectors, sources=["a", "b", "b", "c", "c"], distance=0.5, quotes=2)
    assert [t.count for t in themes] == [3, 2] and list(assignment) == [0, 0, 0, 1, 1]
    assert "kids" in themes[0].words and "cost" in themes[1].words
    assert themes[0].sources == 2 and themes[0].quotes[0] in texts[:3]


def test_distinctive_words_prefer_words_of_one_group():
    words = distinctive_words(["money money pocket day", "family day evenings family"], top=1)
    assert words == [["money"], ["family"]]


def test_messaging_gap_matches_messages_to_themes():
    answers = ["more time with my kids", "home for dinner with the kids", "cash left at month end", "money in my pocket"]
    vectors = np.asarray([[1, 0, 0], [0.95, 0.05, 0], [0, 1, 0], [0.05, 0.95, 0]])
    themes, _ = find_themes(answers, vectors, distance=0.3)
    messages = ["Time with your family", "Inventory control"]
    gap = compare(messages, np.asarray([[1, 0.1, 0], [0, 0, 1]]), answers, vectors, themes, threshold=0.5)
    family = next(i for i, t in enumerate(themes) if "kids" in t.words)
    assert gap.messages[0].themes == [family] and gap.messages[0].echoed
    assert gap.unechoed == [1] and not gap.messages[1].themes
    assert gap.uncovered == [1 - family]
    assert json.loads(json.dumps(gap.to_dict()))["unechoed"] == [1]


def test_a_message_with_nothing_to_compare_has_no_similarity():
    gap = compare(["Time with your family"], np.asarray([[1, 0, 0]]), [], np.zeros((0, 3)), [])
    match = gap.messages[0]
    assert (match.best_theme, match.best_similarity, match.echo, match.echo_similarity) == (None, None, None, None)
    assert gap.unechoed == [0] and gap.uncovered == []


def test_a_long_terminal_why_is_quoted_in_part_in_text():
    said = "we finally stop losing whole weekends to manual reconciliation " * 12
    gap = compare(["Inventory control"], np.asarray([[0, 1]]), [said], np.asarray([[1, 0]]), find_themes([said], np.asarray([[1, 0]]))[0])
    line = next(line for line in format_gap(gap).splitlines() if "(1 terminal why)" in line)
    assert line.endswith('reconciliation we finally stop…"') and len(line.split()) < 40
    assert gap.to_dict()["themes"][0]["quotes"] == [said]  # the JSON keeps it whole


def test_messaging_file(tmp_path):
    path = tmp_path / "messages.txt"
    path.write_text("# ours\nInventory control\n\n- Cost containment\n")
    assert read_messages(path) == ["Inventory control", "Cost containment"]
    path.write_text("1. Inventory control\n2) Cost containment\n* Inventory control\n24/7 support\n")
    assert read_messages(path) == ["Inventory control", "Cost containment", "24/7 support"]
    path.write_text("# nothing\n")
    with pytest.raises(MotiveError, match="no value propositions"):
        read_messages(path)
    path.write_bytes("Fewer caf\u00e9 closures\n".encode("cp1252"))
    assert read_messages(path) == ["Fewer caf\u00e9 closures"]
    path.write_bytes(bytes(range(256)))
    with pytest.raises(MotiveError, match="cannot read the messaging file: it is a binary file"):
        read_messages(path)


def test_implication_matrix_counts_direct_and_indirect_links_once_per_chain():
    matrix = implication_matrix([["A1", "I1", "T1"], ["A1", "I1", "T1"], ["A1", "T1"], ["A1", "I1", "I1", "T1"]])
    assert matrix["A1"]["I1"] == [3, 0]
    assert matrix["A1"]["T1"] == [1, 3]
    assert matrix["I1"]["T1"] == [3, 0]


class WordVectors:
    """A fake embedder: one dimension per vocabulary word."""

    dimension = 4
    words = ("price", "time", "family", "cost")

    def embed(self, texts):
        return np.asarray([[float(w in t) + 1e-3 for w in self.words] for t in texts])


def test_value_map_links_themes_across_chains():
    results = []
    for n in range(3):
        r = interview(f"{n}.txt", ["output", "outcome", "outcome"])
        r.answers[0].evidence, r.answers[1].evidence, r.answers[2].evidence = "the price", "more time", "family"
        results.append(r)
    value_map = build_value_map(chain_views(results), WordVectors(), distance=0.3, cutoff=2)
    levels = {n.id: n.level for n in value_map.nodes}
    assert levels == {"A1": "attribute", "I1": "intermediate", "T1": "terminal"}
    assert [(l.source, l.target, l.direct, l.indirect) for l in value_map.links] == [("A1", "I1", 3, 0), ("I1", "T1", 3, 0)]
    assert value_map.matrix["A1"]["T1"] == [0, 3]
    assert build_value_map(chain_views(results), WordVectors(), distance=0.3, cutoff=4).links == []


def test_results_round_trip_through_json(small_model, tmp_path):
    from motive.pipeline import classify_many

    results = list(classify_many(sorted(CORPUS.glob("*.txt")), model=small_model))
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(r.to_dict()) + "\n" for r in results))
    assert read_results_jsonl(path) == results
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(results[0].to_dict()) + "\n{not json\n")
    with pytest.raises(MotiveError, match="bad.jsonl:2: not JSON"):
        read_results_jsonl(bad)
    bad.write_text('{"some": "other JSON"}\n')
    with pytest.raises(MotiveError, match="bad.jsonl:1: not a result of motive classify"):
        read_results_jsonl(bad)
    labelled = next(r for r in results if r.chains and any(c.terminal is not None for c in r.chains))
    for edit, problem in [
        (lambda d: d["answers"][0].update(label="bogus"), "answer 0's label 'bogus' is not one of output, outcome, none"),
        (lambda d: next(c for c in d["chains"] if c["terminal"] is not None).update(terminal=99), "terminal why is answer 99, which is not in the chain"),
        (lambda d: d["chains"][0].update(answers=[0, 99]), "names answers [0, 99]"),
        (lambda d: d["answers"][0].update(chain=99), "answer 0 is in chain 99"),
        (lambda d: d["chains"][0].update(answers=[True]), "names answers [True]"),
        (lambda d: d.update(model="default"), "its model 'default' is not what motive records of a model"),
        (lambda d: d.update(model={"name": "default", "precision": 16}), "is not what motive records of a model"),
        (lambda d: d.update(source=None), "its source, metadata or notes are not of the form motive writes"),
        (lambda d: d["answers"][0].update(evidence=3), "answer 0's text, evidence, question, speaker or sentences"),
        (lambda d: d["answers"][0].update(question_kind="bogus"), "answer 0's question kind 'bogus'"),
        (lambda d: next(c for c in d["chains"] if c["terminal"] is not None).update(summary=None), "summary None is not text"),
        (lambda d: next(c for c in d["chains"] if c["terminal"] is not None).update(terminal=0.0), "which is not in the chain"),
        (lambda d: d.update(interviewers=None), "its interviewers None are not of the form motive writes"),
        (lambda d: d.update(model={"name": "default"}), "is not what motive records of a model"),  # part of one
        (lambda d: d["answers"][0].update(probabilities=[1]), "answer 0's probabilities [1]"),
        (lambda d: d["answers"][0].update(probabilities={"output": "high"}), "answer 0's probabilities"),
        (lambda d: d["answers"][0].update(driver="bogus"), "answer 0's driver 'bogus'"),
        (lambda d: d["answers"][0].update(speakers="Sam"), "answer 0's speakers or asked_by are not lists of names"),
    ]:
        record = json.loads(json.dumps(labelled.to_dict()))
        edit(record)
        bad.write_text(json.dumps(record) + "\n")
        with pytest.raises(MotiveError, match=re.escape(f"bad.jsonl:1: not a result of motive classify as written: ") + ".*" + re.escape(problem)):
            read_results_jsonl(bad)


def test_insights_of_classified_transcripts_as_json_and_frames(small_model):
    from motive.pipeline import classify_many

    results = list(classify_many(sorted(CORPUS.glob("*.txt")), model=small_model))
    found = build_insights(results, embedder=small_model.embedder)
    data = json.loads(json.dumps(found.to_dict()))
    assert data["interviews"] == 5 and data["chains"] == len(found.chain_rows) > 0
    assert sum(t["count"] for t in data["themes"]) == found.reached.count
    assert {s["key"] for s in data["segments"]} >= {"market"}
    frames = found.to_frames()
    assert len(frames["chains"]) == data["chains"] and {"key", "segment", "measure", "share"} <= set(frames["segments"].columns)
    assert len(frames["themes"]) == len(found.themes)


def test_every_theme_quote_says_who_said_it_where(small_model):
    from motive.pipeline import classify_many

    results = list(classify_many(sorted(CORPUS.glob("*.txt")), model=small_model))
    found = build_insights(results, embedder=small_model.embedder)
    said = {(r.source, index, r.answers[chain.terminal].speaker): r.answers[chain.terminal].text
            for r in results for index, chain in enumerate(r.chains) if chain.terminal is not None}
    for theme in found.to_dict()["themes"]:
        assert len(theme["extra"]["chains"]) == theme["count"]
        for quote, where in zip(theme["quotes"], theme["extra"]["quoted_from"], strict=True):
            assert said[where["source"], where["chain"], where["speaker"]] == quote
    first = found.themes[0]
    source, speaker = first.extra["quoted_from"][0]["source"], first.extra["quoted_from"][0]["speaker"]
    assert f"({source}, {speaker})" in format_insights(found)


def test_themes_may_be_named_by_words_of_the_stop_list_that_name_things():
    assert distinctive_words(["The bill and the interest on it.", "Money left over."])[0] == ["interest", "bill"]


def test_metadata_csv_is_matched_by_file_name(tmp_path):
    results = [interview("calls/acme-1.txt", ["outcome"]), interview("calls/beta.md", ["outcome"])]
    table = tmp_path / "meta.csv"
    table.write_text("file,segment,deal\nacme-1.txt,retail,won\nbeta,wholesale,lost\nghost,x,y\n")
    assert attach_metadata(results, read_metadata(table)) == ["ghost"]
    assert results[0].metadata == {"segment": "retail", "deal": "won"} and results[1].metadata["deal"] == "lost"
    table.write_text("name,segment\nx,y\n")
    with pytest.raises(MotiveError, match="needs a column naming the transcript file"):
        read_metadata(table)


def test_a_metadata_column_replaces_the_front_matter_key_of_any_case(tmp_path):
    table = tmp_path / "meta.csv"
    table.write_text("file,Deal\nacme-1,won\n")
    result = interview("calls/acme-1.txt", ["outcome"])
    result.metadata = {"deal": "lost", "market": "b2b"}
    attach_metadata([result], read_metadata(table))
    assert result.metadata == {"market": "b2b", "Deal": "won"}


def test_two_rows_for_one_transcript_must_agree(tmp_path):
    table = tmp_path / "meta.csv"
    table.write_text("file,segment\nacme-1.txt,retail\nacme-1,retail\n")
    results = [interview("calls/acme-1.txt", ["outcome"])]
    assert attach_metadata(results, read_metadata(table)) == [] and results[0].metadata == {"segment": "retail"}
    table.write_text("file,segment\nacme-1.txt,retail\nacme-1,wholesale\n")
    with pytest.raises(MotiveError, match=r"meta.csv: the rows for 'acme-1.txt' and 'acme-1' both describe calls/acme-1.txt and disagree"):
        attach_metadata([interview("calls/acme-1.txt", ["outcome"])], read_metadata(table), where=str(table))


def test_metadata_names_match_however_their_accents_are_written(tmp_path):
    import unicodedata

    table = tmp_path / "meta.csv"
    decomposed = unicodedata.normalize("NFD", "caf\u00e9-1.txt")  # as copied from macOS Finder
    table.write_text(f"file,segment\n{decomposed},retail\n", encoding="utf-8")
    results = [interview("calls/caf\u00e9-1.txt", ["outcome"])]
    assert attach_metadata(results, read_metadata(table)) == [] and results[0].metadata == {"segment": "retail"}


def test_metadata_as_spreadsheets_save_it(tmp_path):
    table = tmp_path / "meta.csv"
    table.write_bytes("file;segment;region\nacme-1;caf\u00e9s;S\u00fcd\nbeta;retail;Nord\n".encode("cp1252"))  # Excel in Germany
    assert read_metadata(table) == {"acme-1": {"segment": "caf\u00e9s", "region": "S\u00fcd"}, "beta": {"segment": "retail", "region": "Nord"}}
    table.write_text("file,segment\nacme-1,retail\nacme-1,retail\nacme-1,wholesale\n")
    with pytest.raises(MotiveError, match="meta.csv:4: a second row for 'acme-1'"):
        read_metadata(table)


def test_insights_and_gap_commands(model_folder, tmp_path):
    runner = CliRunner()
    meta = tmp_path / "meta.csv"
    meta.write_text("file,deal\ncabinets,won\ncrm,won\ngum,lost\ngym,lost\ntranslation,won\nnot-interviewed,lost\n")
    result = runner.invoke(main, ["insights", str(CORPUS), "--model", str(model_folder), "--metadata", str(meta), "--json"])
    assert result.exit_code == 0, result.output  # a CRM export holds more deals than were interviewed
    assert f"{meta}: 1 row fits no transcript given ('not-interviewed'); it is not used" in result.stderr
    data = json.loads(result.stdout)
    assert "deal" in {s["key"] for s in data["segments"]}
    text = runner.invoke(main, ["insights", str(CORPUS), "--model", str(model_folder), "--by", "deal", "--metadata", str(meta)])
    assert text.exit_code == 0 and "Segments by deal" in text.output and "Interviewer diagnostics" in text.output
    assert "Means-end map" in text.output and "whys before the first outcome (whys: chains): 0: " in text.output
    themes = len(data["themes"])
    shown = runner.invoke(main, ["insights", str(CORPUS), "--model", str(model_folder), "--cutoff", "1"]).output
    assert "Means-end map (what they buy → outcomes on the way → terminal outcomes; links seen in 1+ chains):" in shown
    assert (f"and {themes - 10} more theme" in shown) == (themes > 10)

    messages = tmp_path / "messages.txt"
    messages.write_text("Inventory control\nMore time with your family\n")
    gap = runner.invoke(main, ["gap", "--messaging", str(messages), str(CORPUS), "--model", str(model_folder), "--json"])
    assert gap.exit_code == 0, gap.output
    assert [m["message"] for m in json.loads(gap.output)["messages"]] == ["Inventory control", "More time with your family"]

    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    failed = runner.invoke(main, ["gap", "--messaging", str(empty), str(CORPUS), "--model", str(model_folder)])
    assert failed.exit_code == 1 and "no value propositions" in failed.output and "Traceback" not in failed.output


def test_insights_write_one_row_per_chain_for_a_spreadsheet(model_folder, tmp_path):
    import csv

    runner = CliRunner()
    meta = tmp_path / "meta.csv"
    meta.write_text("file,deal\ncabinets,won\ncrm,won\ngum,lost\ngym,lost\ntranslation,won\n")
    chains = tmp_path / "chains.csv"
    result = runner.invoke(main, ["insights", str(CORPUS), "--model", str(model_folder), "--metadata", str(meta), "--json",
                                  "--chains", str(chains)])
    assert result.exit_code == 0, result.output
    assert chains.read_bytes().startswith(b"\xef\xbb\xbfsource,chain,")  # marked UTF-8, for Excel
    rows = list(csv.DictReader(chains.open(encoding="utf-8-sig", newline="")))
    data = json.loads(result.stdout)
    assert len(rows) == data["chains"] == len(data["chain_rows"])
    assert list(rows[0])[:11] == ["source", "chain", "reached", "whys_to_outcome", "what", "summary", "terminal", "driver",
                                  "discipline", "theme", "labels"]
    for row, view in zip(rows, data["chain_rows"]):
        assert (row["source"], row["chain"], row["summary"]) == (view["source"], str(view["chain"]), view["summary"])
        assert row["labels"] == " → ".join(view["labels"]) and row["theme"] == (view["theme"] or "")
        assert row["deal"] == view["metadata"].get("deal", "")
    refused = runner.invoke(main, ["insights", str(CORPUS), "--model", str(model_folder), "--chains", str(tmp_path / "chains.tsv")])
    assert refused.exit_code == 2 and "not .tsv" in refused.output
    refused = runner.invoke(main, ["report", str(CORPUS), "--model", str(model_folder), "-o", str(tmp_path / "report.xlsx")])
    assert refused.exit_code == 2 and "the report is HTML, not .xlsx" in refused.output
    refused = runner.invoke(main, ["insights", str(CORPUS), "--model", str(model_folder), "--metadata", str(meta), "--chains", str(meta)])
    assert refused.exit_code == 2 and "--chains" in refused.output and meta.read_text().startswith("file,deal")
    inside = sorted(CORPUS.glob("*.txt"))[0]
    before = inside.read_bytes()
    refused = runner.invoke(main, ["insights", str(CORPUS), "--model", str(model_folder), "--chains", str(inside)])
    assert refused.exit_code == 2 and inside.read_bytes() == before  # a transcript inside a folder given is an input too


def test_results_of_two_models_are_named_and_the_mix_is_said(model_folder, tmp_path):
    runner = CliRunner()
    other = tmp_path / "other-model"  # the same classifiers, sentences split another way: another model
    shutil.copytree(model_folder, other)
    config = json.loads((other / "config.json").read_text())
    config["sentence_splitter"] = "parser" if config.get("sentence_splitter") != "parser" else "senter"
    (other / "config.json").write_text(json.dumps(config))
    copy = tmp_path / "copy"  # the same model files in another folder: the same model
    shutil.copytree(model_folder, copy)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    paths = sorted(CORPUS.glob("*.txt"))
    assert runner.invoke(main, ["classify", *map(str, paths[:3]), "--model", str(model_folder), "-o", str(first), "-q"]).exit_code == 0
    assert runner.invoke(main, ["classify", *map(str, paths[3:]), "--model", str(other), "-o", str(second), "-q"]).exit_code == 0
    record = json.loads(first.read_text().splitlines()[0])
    assert record["model"]["name"] == model_folder.name and len(record["model"]["fingerprint"]) == 64
    assert json.loads(second.read_text().splitlines()[0])["model"]["fingerprint"] != record["model"]["fingerprint"]
    copied = tmp_path / "copied.jsonl"
    assert runner.invoke(main, ["classify", *map(str, paths[3:]), "--model", str(copy), "-o", str(copied), "-q"]).exit_code == 0
    alike = runner.invoke(main, ["insights", str(first), str(copied), "--model", str(model_folder)])
    assert alike.exit_code == 0 and "different models" not in alike.stderr  # another folder's name, the same labels
    one = runner.invoke(main, ["insights", str(first), "--model", str(model_folder), "--precision", "fp32", "--device", "cpu"])
    assert one.exit_code == 0 and "different models" not in one.stderr and f"Labelled by {model_folder.name} (" in one.stdout
    mixed = runner.invoke(main, ["insights", str(first), str(second), "--model", str(model_folder), "--json"])
    assert mixed.exit_code == 0 and "the results given were labelled by 2 different models, and the figures mix their labels" in mixed.stderr
    assert [(m["model"]["name"], m["interviews"]) for m in json.loads(mixed.stdout)["models"]] == [(model_folder.name, 3), ("other-model", 2)]
    older = tmp_path / "older.jsonl"  # results written before motive recorded the model
    older.write_text("".join(json.dumps({k: v for k, v in json.loads(line).items() if k != "model"}) + "\n" for line in second.read_text().splitlines()))
    unknown = runner.invoke(main, ["insights", str(first), str(older), "--model", str(model_folder)])
    assert unknown.exit_code == 0 and "a model not recorded (results written before motive recorded it): 2 results" in unknown.stderr
    html = tmp_path / "report.html"
    assert runner.invoke(main, ["report", str(first), str(second), "--model", str(model_folder), "-o", str(html)]).exit_code == 0
    assert "Labelled by 2 different models: the figures mix their labels" in html.read_text()
    copies = runner.invoke(main, ["insights", str(first), *map(str, paths[:3]), "--model", str(other)])  # the same interviews classified again by the other
    assert f"copies labelled by other-model (" in copies.stderr and "different models" not in copies.stderr


def test_a_results_table_named_on_its_own_is_a_skipped_file_that_says_why(model_folder, tmp_path):
    runner = CliRunner()
    table = tmp_path / "results.txt"
    assert runner.invoke(main, ["classify", str(CORPUS), "--model", str(model_folder), "-f", "table", "-q", "-o", str(table)]).exit_code == 0
    named = runner.invoke(main, ["insights", str(table), str(CORPUS), "--model", str(model_folder)])
    assert named.exit_code == 3 and f"skipped {table}: is a results table written by 'motive classify --format table'" in named.stderr
    assert "left out" not in named.stderr


def test_an_interview_read_twice_counts_once_and_dask_output_folders_are_results(model_folder, tmp_path):
    from motive.distributed import MANIFEST_FILE

    runner = CliRunner()
    results = tmp_path / "results.jsonl"
    assert runner.invoke(main, ["classify", str(CORPUS), "--model", str(model_folder), "-o", str(results), "-q"]).exit_code == 0
    once = json.loads(runner.invoke(main, ["insights", str(results), "--model", str(model_folder), "--json"]).stdout)
    twice = runner.invoke(main, ["insights", str(results), str(results), str(CORPUS), "--model", str(model_folder), "--json"])
    assert twice.exit_code == 0 and "5 copies of interviews met before (named twice, or both as a transcript and in results): each interview counted once" in twice.stderr
    assert json.loads(twice.stdout)["interviews"] == once["interviews"] == 5
    renamed = tmp_path / "renamed.jsonl"  # another team's results: paths written alike, other interviews
    records = [json.loads(line) for line in results.read_text().splitlines()]
    for record in records:
        for answer in record["answers"]:
            answer["text"] += " That was team B."
        record["metadata"]["market"] = "team B's " + record["metadata"].get("market", "")
    renamed.write_text("".join(json.dumps(record) + "\n" for record in records))
    deals = tmp_path / "deals.csv"
    deals.write_text("file,deal\ncabinets,won\n")
    both = runner.invoke(main, ["insights", str(results), str(renamed), "--model", str(model_folder), "--json", "--metadata", str(deals)])
    assert both.exit_code == 0, both.output
    found = json.loads(both.stdout)
    assert found["interviews"] == 10 and "met before" not in both.stderr
    sources = {row["source"] for row in found["chain_rows"]}  # written alike in both files: told apart by file
    assert {source.rsplit(" (", 1)[1] for source in sources} == {f"{results})", f"{renamed})"}
    assert {row["source"] for row in found["chain_rows"] if row["metadata"].get("deal") == "won"} == {
        f"{CORPUS / 'cabinets.txt'} ({results})", f"{CORPUS / 'cabinets.txt'} ({renamed})"}  # matched before told apart
    dask_output = tmp_path / "dask-output"
    dask_output.mkdir()
    (dask_output / MANIFEST_FILE).write_text("{}")
    lines = results.read_text().splitlines(keepends=True)
    (dask_output / "part-00000.jsonl").write_text("".join(lines[:2]))
    (dask_output / "part-00001.jsonl").write_text("".join(lines[2:]))
    from_parts = runner.invoke(main, ["insights", str(dask_output), "--model", str(model_folder), "--json"])
    assert from_parts.exit_code == 0, from_parts.output
    assert json.loads(from_parts.stdout) == once


def test_skipped_files_are_named_and_the_others_still_count(model_folder, tmp_path):
    import shutil

    calls = tmp_path / "calls"
    shutil.copytree(CORPUS, calls)
    (calls / "broken.txt").write_text("just one line, nobody speaking\n")
    result = CliRunner().invoke(main, ["insights", str(calls), "--model", str(model_folder), "--json"])
    assert result.exit_code == 3
    assert "skipped" in result.stderr and "broken.txt" in result.stderr
    assert json.loads(result.stdout)["interviews"] == 5
    assert [line.split(":")[0] for line in json.loads(result.stdout)["skipped"]] == [f"skipped {calls / 'broken.txt'}"]
    report = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(calls), "--model", str(model_folder), "-o", str(report)])
    assert result.exit_code == 3
    html = report.read_text()
    assert "Not everything given was used: 1 problem" in html and f"skipped {calls / 'broken.txt'}: " in html


def test_an_unknown_segment_key_is_one_clear_error():
    with pytest.raises(MotiveError, match="no transcript has the metadata key 'deal'; keys found: market"):
        build_insights(two_segments(), segment_by=["deal"])


def test_transcript_words_cannot_move_the_cursor_in_the_text_of_gap_and_insights():
    said = "money \x1b[2J\x1b[31min my pocket"
    gap = compare(["Time \x1b[31mwith family"], np.asarray([[1, 0]]), [said], np.asarray([[0, 1]]), find_themes([said], np.asarray([[0, 1]]))[0])
    text = format_gap(gap)
    assert "\x1b" not in text and "money [2J[31min my pocket" in text and "Time [31mwith family" in text
    segments = [interview(f"{m}{i}.txt", ["output", "outcome"], market=f"\x1b[31m{m}") for m in "ab" for i in range(3)]
    text = format_insights(build_insights(segments))
    assert "\x1b" not in text and "[31ma" in text


def test_the_metadata_file_column_is_read_in_any_case(tmp_path):
    table = tmp_path / "meta.csv"
    table.write_text("File,Segment\nacme-1.txt,retail\n")
    assert read_metadata(table) == {"acme-1.txt": {"Segment": "retail"}}


def test_insight_inputs_that_cannot_be_read_are_skipped_and_a_json_transcript_is_classified(model_folder, tmp_path):
    from tests.conftest import DATA

    runner = CliRunner()
    results = tmp_path / "results.jsonl"
    assert runner.invoke(main, ["classify", str(CORPUS), "--model", str(model_folder), "-o", str(results), "-q"]).exit_code == 0
    cut = tmp_path / "cut.jsonl"
    cut.write_text(results.read_text()[:-40])  # a file cut off while it was written
    whisperx = DATA / "exports" / "whisperx.json"
    missing = tmp_path / "missing.jsonl"
    result = runner.invoke(main, ["insights", str(results), str(cut), str(whisperx), str(missing), "--model", str(model_folder), "--json"])
    assert result.exit_code == 3, result.output
    assert f"skipped {cut}:" in result.stderr and f"skipped {missing}: does not exist" in result.stderr
    assert json.loads(result.stdout)["interviews"] == 6  # the five results and the WhisperX transcript
    for command in (["classify", str(CORPUS / "cabinets.txt")], ["report", str(results)]):
        target = CORPUS / "cabinets.txt" if command[0] == "classify" else results
        before = target.read_bytes()
        refused = runner.invoke(main, [*command, "--model", str(model_folder), "-o", str(target)])
        assert refused.exit_code == 2 and "is one of the files to read" in refused.output and target.read_bytes() == before


def test_the_same_interviews_give_the_same_insights_in_any_order():
    found = build_insights(two_segments()).to_dict()
    assert build_insights(two_segments()[::-1]).to_dict() == found


def test_interviews_without_a_value_are_counted_as_left_out():
    found = build_insights(two_segments() + [interview("c.txt", ["output", "outcome"])])
    assert found.segments[0].without_value == 1
    assert "(1 interview without a market left out)" in format_insights(found)


def test_a_key_named_twice_is_compared_once():
    found = build_insights(two_segments(), segment_by=["market", "Market"])  # keys in any case, as values are
    assert [c.key for c in found.segments] == ["market"]


def test_a_metadata_row_that_fits_two_files_is_refused_and_excel_quotes_are_read(tmp_path):
    results = [interview("batch1/call.txt", ["outcome"]), interview("batch2/call.txt", ["outcome"])]
    table = tmp_path / "meta.csv"
    table.write_text("file,segment\ncall.txt,retail\n")
    with pytest.raises(MotiveError, match=r"the row 'call.txt' could describe batch1/call.txt or batch2/call.txt: name the file with its folder"):
        attach_metadata(results, read_metadata(table))
    exact = [interview("call.txt", ["outcome"]), interview("batch2/call.txt", ["outcome"])]  # a row naming a path exactly names that file alone
    attach_metadata(exact, read_metadata(table))
    assert [r.metadata.get("segment") for r in exact] == ["retail", None]
    full = [interview("calls/a.txt", ["outcome"]), interview("archive/calls/a.txt", ["outcome"])]
    table.write_text("file,segment\ncalls/a.txt,retail\narchive/calls/a.txt,wholesale\n")
    attach_metadata(full, read_metadata(table))
    assert [r.metadata["segment"] for r in full] == ["retail", "wholesale"]
    table.write_text("file, segment\ncall, retail\n")  # written with ", ", and a source written on Windows
    windows = [interview("batch1\\call.txt", ["outcome"])]
    attach_metadata(windows, read_metadata(table))
    assert windows[0].metadata["segment"] == "retail"
    table.write_text("file,segment\nbatch1/call.txt,retail\n")  # named with its folder, as the refusal says
    attach_metadata([interview("q15/batch1/call.txt", ["outcome"]), interview("q15/batch2/call.txt", ["outcome"])], read_metadata(table))
    table.write_bytes(b'file;tier\r\nacme-1;"Gold; & Co"\r\nbeta;plain\r\n')  # Excel in much of Europe
    assert read_metadata(table)["acme-1"] == {"tier": "Gold; & Co"}
    table.write_bytes(b'file,tier\r\nacme-1,"""Gold"" & Co"\r\nbeta,plain\r\n')
    assert read_metadata(table)["acme-1"] == {"tier": '"Gold" & Co'}


def test_messages_may_come_as_csv_or_json(tmp_path):
    as_csv = tmp_path / "messages.csv"
    as_csv.write_text('channel,message\nweb,"Get paid faster, every month"\nemail,Stay compliant\n')
    assert read_messages(as_csv) == ["Get paid faster, every month", "Stay compliant"]
    as_csv.write_text('Get paid faster\n"Stay compliant, always"\n')  # no header row: every row is a message
    assert read_messages(as_csv) == ["Get paid faster", "Stay compliant, always"]
    as_json = tmp_path / "messages.json"
    as_json.write_text(json.dumps({"messages": ["Get paid faster", "Stay compliant"]}))
    assert read_messages(as_json) == ["Get paid faster", "Stay compliant"]
    as_json.write_text('{"note": "nothing"}')
    with pytest.raises(MotiveError, match="a JSON messaging file holds a list of strings"):
        read_messages(as_json)


def test_results_files_beside_the_transcripts_are_left_out_of_insights(model_folder, tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    for name in ("crm.txt", "gym.txt"):
        (calls / name).write_text((CORPUS / name).read_text())
    runner = CliRunner()
    assert runner.invoke(main, ["classify", str(calls), "--model", str(model_folder), "-o", str(calls / "results.json")]).exit_code == 0
    found = runner.invoke(main, ["insights", str(calls), "--model", str(model_folder), "--json"])
    assert found.exit_code == 0, found.stderr
    assert f"1 results file of motive left out (not transcripts; name one to read its results): {calls / 'results.json'}" in found.stderr
    assert json.loads(found.stdout)["interviews"] == 2


def test_a_key_asked_for_with_one_value_is_said_not_tested():
    results = [interview(f"calls/{n}.txt", ["outcome"], tier="gold") for n in range(6)]
    found = build_insights(results, segment_by=["tier"])
    assert found.segments == [] and found.keys_not_compared == {"tier": "one value only"}
    assert "Metadata not compared: tier (one value only)" in format_insights(found)


def test_segments_are_compared_on_the_themes_of_their_terminal_whys():
    from motive.report import render_report

    results = []
    for n in range(8):  # consumers talk of family time, businesses of cost
        for market, words in (("consumer", "family time"), ("b2b", "cost price")):
            r = interview(f"{market}{n}.txt", ["output", "outcome"], market=market)
            r.answers[1].text = r.answers[1].evidence = f"{words} {n}"
            results.append(r)
    found = build_insights(results, embedder=WordVectors(), distance=0.3)
    (market,) = found.segments
    theme_test = next(t for t in market.tests if t.measure == "theme")
    assert theme_test.significant and theme_test.p_value < 0.01
    consumer = next(g for g in market.groups if g.value == "consumer")
    leading = max(consumer.themes, key=lambda s: s.count)
    assert "family" in leading.value and (leading.count, leading.total) == (8, 8)
    assert {v.theme for v in found.chain_rows if v.metadata["market"] == "b2b"} == {next(t.name for t in found.themes if "cost" in t.words)}
    text = format_insights(found)
    assert "themes of the terminal whys:" in text and any(f.startswith("market — theme differs between segments") for f in market.findings)
    assert "Themes of terminal whys" in render_report(found, results)
    as_json = json.loads(json.dumps(found.to_dict()))
    assert sum(s["count"] for s in as_json["segments"][0]["groups"][0]["themes"]) == 8
    assert all(row["theme"] for row in as_json["chain_rows"])


def test_themes_compared_are_shared_by_two_interviews_and_the_rest_fold_together():
    from types import SimpleNamespace as View

    from motive.comparisons import OTHER_THEMES, THEMES_COMPARED, compared_themes

    views = [View(theme=f"t{n}", source=f"{n}-{i}") for n in range(THEMES_COMPARED + 2) for i in range(2)]
    views += [View(theme="alone", source="x"), View(theme=None, source="y")]
    assert compared_themes(views) == tuple(f"t{n}" for n in range(THEMES_COMPARED)) + (OTHER_THEMES,)
    assert compared_themes([View(theme="a", source="1"), View(theme="a", source="2")]) == ()  # one theme: nothing to compare


def test_themes_that_share_a_name_are_told_apart_everywhere(monkeypatch):
    import motive.themes

    real = motive.themes.distinctive_words
    monkeypatch.setattr(motive.themes, "distinctive_words", lambda texts, top=3: [["price"] for _ in real(texts, top)])
    results = []
    for n in range(4):
        for market, words in (("consumer", "family time"), ("b2b", "cost price")):
            r = interview(f"{market}{n}.txt", ["output", "outcome"], market=market, theme="my own column")
            r.answers[1].text = r.answers[1].evidence = f"{words} {n}"
            results.append(r)
    found = build_insights(results, embedder=WordVectors(), distance=0.3)
    names = [t.name for t in found.themes]
    assert names == ["price", "price (2)"]
    assert {v.theme for v in found.chain_rows} == set(names)
    assert {s.value for s in found.segments[0].groups[0].themes} == set(names)
    pytest.importorskip("pandas")
    chains = found.to_frames()["chains"]
    assert set(chains["theme"]) == set(names) and set(chains["metadata theme"]) == {"my own column"}
    written = io.StringIO()
    found.write_chains_csv(written)
    assert list(chains.columns) == written.getvalue().splitlines()[0].split(",")  # the CSV's columns, in its order


def test_many_answers_are_clustered_on_a_sample_and_the_rest_join_their_nearest_theme(monkeypatch):
    import motive.themes
    from motive.themes import cluster

    rng = np.random.default_rng(3)
    centres = np.eye(8)[:4] * 5
    vectors = np.vstack([centres[rng.integers(0, 4, 300)] + 0.3 * rng.normal(size=(300, 8)), np.eye(8)[[7]] * 5])
    whole = cluster(vectors, 0.5)
    monkeypatch.setattr(motive.themes, "MAX_CLUSTERED", 40)  # as if there were more answers than pairs fit in memory
    sampled = cluster(vectors, 0.5)
    assert len(set(sampled)) == len(set(whole)) == 5  # the four groups, and the one answer like no other
    assert all(len(set(sampled[whole == label])) == 1 for label in set(whole))  # the same partition
    assert np.array_equal(sampled, cluster(vectors, 0.5))  # the same sample every time


def test_csv_header_and_cells_are_safe_to_open_in_a_spreadsheet():
    from motive.output import write_csv_rows

    written = io.StringIO()
    write_csv_rows(written, ["source", '=HYPERLINK("x")'], [{"source": "+cmd", '=HYPERLINK("x")': "-1,234.56"}])
    assert written.getvalue().splitlines() == ['source,"\'=HYPERLINK(""x"")"', "'+cmd,\"-1,234.56\""]  # a metadata key names a column
