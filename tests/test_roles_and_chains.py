import pytest

from motive.chains import (
    assign_chains,
    chain_members,
    depths,
    next_in_chain,
    pair_exchanges,
    previous_in_chain,
    without_acknowledgement,
)
from motive.roles import find_interviewer, find_interviewers, interviewers_named, is_question
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


GROUP = """\
Dana: Thanks for joining. What made you pick the Hexa scheduling tool?
Priya: Mostly the shift templates. We can copy a whole week in one click.
Sam: And why does copying a week matter to you?
Priya: Because my supervisors used to spend Friday afternoons rebuilding the rota by hand.
Dana: Why is that important?
Priya: They get those hours back for coaching, and the overtime bill dropped about ten percent.
Sam: Got it. What else did you look at?
Priya: The price. It was cheaper per seat than the others.
Dana: Why does that matter?
Priya: We're a small chain, every dollar we don't spend on software goes into wages.
"""


def test_a_second_interviewer_asks_too():
    turns = read_text(GROUP).turns
    assert find_interviewers(turns) == ["Dana", "Sam"]
    exchanges = pair_exchanges(turns, ["Dana", "Sam"])
    assert [e.question.text for e in exchanges][1::2] == ["And why does copying a week matter to you?", "Got it. What else did you look at?"]
    assert {e.answer.speaker for e in exchanges} == {"Priya"}


@pytest.mark.parametrize(
    "labels, interviewers",
    [
        (("Interviewer 1", "Interviewer 2", "Participant"), ["Interviewer 1", "Interviewer 2"]),
        (("Dana", "Sam", "P1"), ["Dana", "Sam"]),
        (("Moderator", "Sam", "Priya"), ["Moderator", "Sam"]),  # a labelled interviewer and one who only asks
        (("R1", "R2", "P1"), ["R1", "R2"]),  # labels all of one kind say nothing: R is no respondent here
    ],
)
def test_interviewers_from_numbered_or_mixed_labels(labels, interviewers):
    text = GROUP.replace("Dana:", f"{labels[0]}:").replace("Sam:", f"{labels[1]}:").replace("Priya:", f"{labels[2]}:")
    assert find_interviewers(read_text(text).turns) == interviewers


def test_the_interviewer_who_asks_most_comes_first():
    text = (
        "Sam: Why?\nPriya: The templates, mostly.\n"
        "Dana: Thanks, that is helpful. And why do the templates matter so much to your supervisors on a Friday?\n"
        "Priya: They rebuilt the rota by hand.\n"
        "Dana: Understood, we hear that a lot. Why is getting those hours back important for the stores?\n"
        "Priya: Coaching time.\n"
        "Sam: And?\nPriya: Less overtime.\n"
        "Dana: Right, and what else did you look at when you compared the tools last spring?\n"
        "Priya: Price.\n"
    )
    assert find_interviewers(read_text(text).turns) == ["Dana", "Sam"]


def test_several_respondents_answer_and_one_interviewer_asks():
    text = (
        "Interviewer: Why did you two choose the Brightline van lease?\n"
        "Marco: The vans come with racking already fitted.\n"
        "Lena: And the lease includes servicing, which matters more to me honestly.\n"
        "Interviewer: Why is the fitted racking important?\n"
        "Marco: Our techs find parts in seconds instead of digging through boxes.\n"
        "Interviewer: And why does that matter?\n"
        "Lena: More jobs per day. We went from four to five calls per tech.\n"
        "Marco: Yeah, and customers stop waiting a week for us. Do you see that with other firms?\n"
    )
    turns = read_text(text.replace("Interviewer:", "Dana:")).turns
    assert find_interviewers(turns) == ["Dana"]  # Marco asks once, but mostly answers
    exchanges = pair_exchanges(turns, "Dana")
    assert [e.answer.speaker for e in exchanges] == ["Marco, Lena", "Marco", "Lena, Marco"]
    assert [e.speakers for e in exchanges] == [("Marco", "Lena"), ("Marco",), ("Lena", "Marco")]
    assert exchanges[2].answer.text.startswith("More jobs per day.") and exchanges[2].answer.text.endswith("other firms?")


def test_a_respondent_who_asks_the_other_respondent_once_answers():
    text = (
        "Anna: Why did you choose the new router?\nMarco: It cuts twice as fast as the old one.\n"
        "Lena: Marco, how many orders did we turn down last year?\nMarco: About forty, I think.\n"
        "Anna: And why is turning down orders a problem?\n"
        "Lena: Each order is a few thousand pounds, and I want the business to grow for my son.\n"
    )
    assert find_interviewers(read_text(text).turns) == ["Anna"]


def test_a_third_speaker_of_a_few_words_answers():
    """Automatic transcription often gives a sentence of the respondent to a speaker of its own."""
    text = (
        "SPEAKER_00: so why did you go with the new ovens\n"
        "SPEAKER_01: they heat up in like ten minutes instead of forty\n"
        "SPEAKER_02: yeah ten minutes\n"
        "SPEAKER_00: and why does that matter\n"
        "SPEAKER_01: we can open earlier and sell the breakfast rush\n"
        "SPEAKER_02: what she said basically\n"  # a question word first, but nobody answers it
        "SPEAKER_00: and the old ovens\n"
        "SPEAKER_01: they were dying anyway\n"
    )
    assert find_interviewers(read_text(text).turns) == ["SPEAKER_00"]


def test_somebody_always_answers():
    # Both interviewers by their labels, and Dana by her questions, which Interviewer 2 answers:
    # all three would ask, so the one who asks least (Interviewer 2) answers.
    text = (
        "Interviewer 1: Thanks for coming in today.\nDana: Why did you buy it?\n"
        "Interviewer 2: The price, probably, from what I heard on the way in.\n"
        "Interviewer 1: Right, the price.\nDana: Was it the price alone?\nInterviewer 2: Mostly, yes, I would think so.\n"
    )
    assert find_interviewers(read_text(text).turns) == ["Dana", "Interviewer 1"]


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


def cue(question: str, name: str) -> float:
    from motive.chains import CUE_COLUMNS, question_cues

    return question_cues(question, 3, 10)[CUE_COLUMNS.index(name)]


def test_a_bare_why_not_digs_where_why_not_something_else_asks_sideways():
    assert (cue("Ha. Why not?", "probe_cue"), cue("Ha. Why not?", "root_cue")) == (1.0, 0.0)
    assert (cue("Why not the cheaper one?", "probe_cue"), cue("Why not the cheaper one?", "root_cue")) == (0.0, 1.0)
    assert (cue("Why not? Tell me more.", "probe_cue"), cue("Why not? Tell me more.", "root_cue")) == (1.0, 0.0)
    assert (cue("why not", "probe_cue"), cue("why not, like, the other brand", "root_cue")) == (1.0, 1.0)


def test_a_probe_with_no_open_chain_opens_one():
    assert assign_chains(["probe", "probe"]) == [0, 0]
    assert assign_chains([]) == []


def test_what_they_buy_is_not_a_courtesy_or_a_request_for_more_reasons():
    from motive.segment import NounChunk
    from motive.summary import what_they_buy

    thanks = [NounChunk("Thanks", "NOUN", "ROOT", "Thanks"), NounChunk("you", "PRON", "nsubj", "buying")]
    assert what_they_buy(thanks, [NounChunk("the cloud accounting package", "NOUN", "pobj", "to")], "") == "cloud accounting package"
    courtesy = [NounChunk("Carlos, thanks", "PROPN", "ROOT", "Carlos"), NounChunk("the time", "NOUN", "dobj", "make")]
    assert what_they_buy(courtesy, [NounChunk("the routing", "NOUN", "ROOT", "routing")], "") == "routing"
    assert what_they_buy([NounChunk("Mm-hm", "INTJ", "ROOT", "mm-hm")], [NounChunk("the paperwork", "NOUN", "ROOT", "paperwork")], "") == "paperwork"
    another = [NounChunk("Any other reason", "NOUN", "ROOT", "reason")]
    assert what_they_buy(another, [NounChunk("the reminder texts", "NOUN", "dobj", "love")], "") == "reminder texts"


def test_the_interviewer_who_prompts_rather_than_asks_is_found_when_the_customer_asks_about_the_call():
    turns = read_text(
        "Jordan: Hi, can you hear me okay? Is this being recorded?\n"
        "Alex: Yes, I can hear you fine, and yes, we record for notes only.\n"
        "Jordan: Great. Do you want me to share my screen or anything?\n"
        "Alex: No need. Tell me what you bought from us.\n"
        "Jordan: We bought the inventory module with the supplier portal, for all six of our bakeries.\n"
        "Alex: Walk me through why the supplier portal was important.\n"
        "Jordan: Suppliers confirm deliveries themselves, so my managers don't chase them by phone.\n"
        "Alex: Say more about why that matters.\n"
        "Jordan: My managers used to spend Monday mornings on the phone. Now they're on the floor.\n"
        "Alex: Okay, thanks Jordan, that's really clear.\n"
        "Jordan: Sure. Is there anything else you need from me?\n"
        "Alex: No, that's everything.\n", "call.txt"
    ).turns
    assert find_interviewers(turns) == ["Alex"]


def test_interviewers_named_surname_first():
    turns = read_text("Okafor, Chidi: Why the lease?\nLee, Dana: And why now?\nBrandt, Uwe: Servicing.\n"
                      "Okafor, Chidi: Why?\nBrandt, Uwe: Uptime.\nLee, Dana: Thanks.\nBrandt, Uwe: Sure.\n").turns
    speakers = {t.speaker for t in turns}
    assert interviewers_named("Okafor, Chidi, Lee, Dana", speakers) == ["Okafor, Chidi", "Lee, Dana"]
    assert interviewers_named("Okafor, Chidi; Lee, Dana", speakers) == ["Okafor, Chidi", "Lee, Dana"]
    exchanges = pair_exchanges(turns, ["Okafor, Chidi", "Lee, Dana"])
    assert exchanges[0].question.speaker == "Okafor, Chidi; Lee, Dana" and exchanges[0].speakers == ("Brandt, Uwe",)


def test_teams_guests_are_on_either_side():
    text = ("Okafor, Chidi: Hi, thanks for joining.\nDubois, Anne-Marie (Guest): Hi there.\nHughes, Gareth (Guest): Hello.\n"
            "Okafor, Chidi: Why did you buy it?\nHughes, Gareth (Guest): Bookings.\nDubois, Anne-Marie (Guest): And why do bookings matter?\n"
            "Hughes, Gareth (Guest): Empty chairs cost us.\nDubois, Anne-Marie (Guest): What does that mean for you?\nHughes, Gareth (Guest): Revenue.\n")
    assert find_interviewers(read_text(text).turns) == ["Dubois, Anne-Marie (Guest)", "Okafor, Chidi"]


@pytest.mark.parametrize(
    "question, read",
    [
        ("Thanks, that's helpful. Why does that matter?", "Why does that matter?"),
        ("Thank you for that. And why are the reminders important to you?", "And why are the reminders important to you?"),
        ("Okay, great. What else did you look at?", "What else did you look at?"),
        ("Um, okay, so why the new supplier?", "so why the new supplier?"),
        ("Interesting, so the billable hours are almost secondary.", "so the billable hours are almost secondary."),
        ("great thank you and why does that matter", "and why does that matter"),  # automatic transcription: no punctuation
        ("got it thanks any downside so far", "any downside so far"),
        # kept whole: nothing but thanks, thanks and a closing remark, or a word that only starts like one
        ("Perfect. Thanks so much.", "Perfect. Thanks so much."),
        ("perfect thank you so much", "perfect thank you so much"),
        ("Thank you. That covers everything I wanted to ask.", "Thank you. That covers everything I wanted to ask."),
        ("Thanks for joining. You run the plant, is that right?", "Thanks for joining. You run the plant, is that right?"),
        ("Right now, how do you schedule the crews?", "Right now, how do you schedule the crews?"),
        ("right now how do you schedule the crews", "right now how do you schedule the crews"),
        ("Greatly reduced, you said?", "Greatly reduced, you said?"),
        ("Why?", "Why?"),
        ("", ""),
        (None, None),
    ],
)
def test_a_question_is_read_without_the_acknowledgement_before_it(question, read):
    assert without_acknowledgement(question) == read
