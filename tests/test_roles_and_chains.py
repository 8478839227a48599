import pytest

from motive.chains import assign_chains, chain_members, depths, next_in_chain, pair_exchanges, previous_in_chain
from motive.roles import find_interviewer, is_question
from motive.transcripts import read_text


@pytest.mark.parametrize(
    "interviewer, respondent",
    [
        ("Interviewer", "Customer"),
        ("Q", "A"),
        ("INT", "R"),
        ("Moderator", "Participant"),
        ("Me", "Sam"),
        ("Dana", "Raj"),
        ("Speaker 2", "Speaker 1"),
        ("SPEAKER_01", "SPEAKER_00"),
        ("Researcher", "Plant Manager"),
    ],
)
def test_the_interviewer_is_found_from_labels_or_questions(interviewer, respondent):
    text = (
        f"{respondent}: Hi, sorry I'm late, the traffic was terrible this morning on the bridge.\n"
        f"{interviewer}: No problem. Why did you buy the new scanner?\n"
        f"{respondent}: It reads the barcodes faster than the old one did, and it survives being dropped.\n"
        f"{interviewer}: Why is that important?\n"
        f"{respondent}: My pickers hit their numbers and go home on time.\n"
    )
    assert find_interviewer(read_text(text).turns) == interviewer


def test_unpunctuated_questions_are_questions():
    assert is_question("and why does that matter")
    assert not is_question("we lost two days of production")


def test_pairing_answers_with_questions():
    turns = read_text("A: hello there\nQ: Why?\nA: Price.\nQ: Noted.\nQ: And?\nA: Time.\nQ: Thanks!").turns
    exchanges = pair_exchanges(turns, "Q")
    assert [(e.question.text if e.question else None, e.answer.text) for e in exchanges] == [
        (None, "hello there"),
        ("Why?", "Price."),
        ("Noted. And?", "Time."),
    ]


def test_consecutive_respondents_are_one_answer():
    turns = read_text("Q: Why?\nA: Price.\nB: And speed.\nQ: And?").turns
    exchanges = pair_exchanges(turns, "Q")
    assert len(exchanges) == 1 and exchanges[0].answer.text == "Price. And speed."


def test_chains_from_question_kinds():
    kinds = [None, "aside", "root", "probe", "probe", "root", "probe", "aside"]
    chain_of = assign_chains(kinds)
    assert chain_of == [None, None, 0, 0, 0, 1, 1, None]
    assert chain_members(chain_of) == [[2, 3, 4], [5, 6]]
    assert depths(chain_of) == [-1, -1, 0, 1, 2, 0, 1, -1]
    assert previous_in_chain(chain_of) == [None, None, None, 2, 3, None, 5, None]
    assert next_in_chain(chain_of) == [None, None, 3, 4, None, 6, None, None]


def test_a_probe_with_no_open_chain_opens_one():
    assert assign_chains(["probe", "probe"]) == [0, 0]
    assert assign_chains([]) == []


def test_what_they_buy_is_not_a_courtesy_or_a_request_for_more_reasons():
    from motive.segment import NounChunk
    from motive.summary import what_they_buy

    thanks = [NounChunk("Thanks", "NOUN", "ROOT", "Thanks"), NounChunk("you", "PRON", "nsubj", "buying")]
    assert what_they_buy(thanks, [NounChunk("the cloud accounting package", "NOUN", "pobj", "to")], "") == "cloud accounting package"
    another = [NounChunk("Any other reason", "NOUN", "ROOT", "reason")]
    assert what_they_buy(another, [NounChunk("the reminder texts", "NOUN", "dobj", "love")], "") == "reminder texts"
