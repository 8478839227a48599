"""Speaker turns → who interviews and who answers.

The interviewer is the speaker whose label says so (Interviewer, Q, INT,
Moderator, Me, …) or, when labels say nothing (first names, Speaker 1,
SPEAKER_00), the one who asks: more of their turns are questions, and they are
shorter. The respondent may speak first with small talk.

An interview can have more than two people in it: a second interviewer taking
turns with the first, or several people of the buyer's side answering. Every
speaker whose label says interviewer (Interviewer 1, Interviewer 2) asks; so
does, among three or more speakers, one whose turns are mostly questions that
the people answering answer (:func:`asks_mostly`). Everyone else answers, and
at least one speaker always does.
"""

from __future__ import annotations

import re
from collections import Counter

from motive.transcripts import Turn

INTERVIEWER_LABELS = {
    "interviewer", "q", "int", "i", "moderator", "mod", "me", "host", "researcher",
    "facilitator", "question", "questioner", "ux researcher", "user researcher",
    "entrevistador", "entrevistadora", "moderador", "moderadora", "enquêteur", "enquêtrice", "intervieweur",
    "intervieweuse", "interviewerin", "intervistatore", "intervistatrice",
}
RESPONDENT_LABELS = {
    "customer", "a", "r", "resp", "respondent", "participant", "p", "interviewee", "client",
    "answer", "buyer", "user", "guest",
    "entrevistado", "entrevistada", "participante", "cliente", "interviewé", "interviewée", "befragte", "befragter",
    "kunde", "kundin", "intervistato", "intervistata",
}
#: "Interviewer 2", "Participant B", "P1", "Customer-2": a role label numbered or lettered per person.
_NUMBERED = re.compile(r"^(?P<role>.*?)(?:[ _-]?\d{1,2}|[ _-][a-z])$")
_QUESTION_START = re.compile(
    r"^(why|what|how|when|where|who|which|is|are|was|were|do|does|did|can|could|would|will|should|"
    r"have|has|tell me|and why|and what|so why|so what|walk me)\b",
    re.IGNORECASE,
)


def is_question(text: str) -> bool:
    """A turn asks something: a question mark, or (in unpunctuated transcripts) a question word first.

    >>> is_question("why is that important")
    True
    >>> is_question("We run three shifts.")
    False
    """
    return "?" in text or "？" in text or bool(_QUESTION_START.match(text.strip()))


def _label_kind(speaker: str) -> str | None:
    """``"interviewer"`` or ``"respondent"`` when the label names the role, else ``None``.

    >>> _label_kind("Interviewer 2"), _label_kind("P1"), _label_kind("Participant B"), _label_kind("Speaker 1")
    ('interviewer', 'respondent', 'respondent', None)
    >>> _label_kind("Dana (Interviewer)"), _label_kind("Sam (Customer)"), _label_kind("Entrevistador (EN)"), _label_kind("Lee, Dana (Guest)")
    ('interviewer', 'respondent', 'interviewer', None)
    """
    whole, *parts = _label_parts(speaker)
    # Teams writes "(Guest)" after anyone from outside the organisation, whichever side they are on.
    kinds = {_role_kind(whole), *(_role_kind(part) for part in parts if part.lower() != "guest")} - {None}
    return kinds.pop() if len(kinds) == 1 else None


def _label_parts(speaker: str) -> list[str]:
    """The label, and its parts around brackets, dashes and slashes: "Dana (Interviewer)",
    "Interviewer - Dana", "Moderator (translated)" name a person and a role.

    >>> _label_parts("Dana (Interviewer)"), _label_parts("Interviewer - Dana")
    (['Dana (Interviewer)', 'Dana', 'Interviewer'], ['Interviewer - Dana', 'Interviewer', 'Dana'])
    """
    parts = [part.strip() for part in re.split(r"[()\[\]/|]| [-–—] ", speaker) if part.strip()]
    return [speaker.strip(), *parts] if len(parts) > 1 else [speaker.strip()]


def _role_kind(label: str) -> str | None:
    name = label.strip().lower().rstrip(".")
    numbered = _NUMBERED.match(name)
    for role in (name, numbered["role"] if numbered else name):
        if role in INTERVIEWER_LABELS:
            return "interviewer"
        if role in RESPONDENT_LABELS:
            return "respondent"
    return None


#: Prompts that ask without a question mark: "Tell me more.", "Walk me through why…", "Say more about that."
_PROMPT = re.compile(r"^(tell me|tell us|walk me|talk me|take me|say more|describe|explain|help me understand|go on|"
                     r"talk about|share more|i'd love to hear|i would love to hear)\b", re.IGNORECASE)
#: Questions about the call itself, which either side asks: "Can you hear me?", "Shall I share my screen?"
_ABOUT_THE_CALL = re.compile(
    r"\b(can you hear|could you hear|can you see me|see my screen|see your screen|share my screen|share your screen|share the screen|"
    r"being recorded|(is this|is it|are you|are we) (being )?recording|on mute|still there|are you there|need from me|"
    r"anything else you need)\b",
    re.IGNORECASE,
)


def asks(text: str) -> bool:
    """A turn asks the other side something about the interview's subject: a question (see
    :func:`is_question`) or a prompt ("Tell me…", "Walk me through…") starting its last sentence,
    unless every question in it is about the call itself ("Can you hear me?").

    >>> asks("No need. Tell me what you bought from us."), asks("Say more about why that matters.")
    (True, True)
    >>> asks("Hi, can you hear me okay? Is this being recorded?"), asks("Great. Do you want me to share my screen?")
    (False, False)
    >>> asks("How were you recording expenses before?"), asks("Were you there when it broke?")
    (True, True)
    """
    sentences = [s for s in re.split(r"(?<=[.!?？])\s+", text.strip()) if s]
    questions = [s for s in sentences if is_question(s)]
    prompts = bool(sentences) and bool(_PROMPT.match(_LEAD_IN.sub("", sentences[-1])))
    if questions and all(_ABOUT_THE_CALL.search(s) for s in questions):
        return prompts
    return bool(questions) or prompts


def asking_score(turns: list[Turn] | tuple[Turn, ...], speaker: str) -> float:
    """Share of a speaker's turns that ask (:func:`asks`), less a little for long turns."""
    theirs = [turn for turn in turns if turn.speaker == speaker]
    if not theirs:
        return 0.0
    questions = sum(asks(turn.text) for turn in theirs) / len(theirs)
    words = sum(len(turn.text.split()) for turn in theirs) / len(theirs)
    return questions - min(words, 200) / 1000


#: What people say before a question in speech that nobody punctuated: "okay um so how did you…".
_LEAD_IN = re.compile(r"^(?:(?:okay|ok|so|um+|uh+|erm|and|but|right|alright|all right|got it|cool|great|yeah|yes|"
                      r"sure|well|i see|thanks|thank you|perfect|mm+ ?hmm|interesting)\b[\s,]*)+", re.IGNORECASE)


def ends_asking(text: str) -> bool:
    """A turn ends in a question: its last sentence asks (where nothing is punctuated, a question
    word first, after any "okay um so").

    >>> ends_asking("Got it. What else did you look at?"), ends_asking("Can I add one thing? The lease covers servicing.")
    (True, False)
    >>> ends_asking("okay um can i ask about the cameras"), ends_asking("okay cool that makes sense")
    (True, False)
    """
    text = text.strip()
    if "?" in text or "？" in text or text.endswith((".", "。")):
        return text.endswith(("?", "？"))  # and the full-width marks of Chinese and Japanese
    return bool(_QUESTION_START.match(_LEAD_IN.sub("", text)))


def asks_mostly(turns: list[Turn] | tuple[Turn, ...], speaker: str, lead: str) -> bool:
    """At least half of the speaker's turns are questions that a third speaker answers (not
    ``lead``, the interviewer who asks most), more of them than the speaker's replies to the
    lead's questions, and the turns are short (60 words on average)."""
    theirs = [i for i, turn in enumerate(turns) if turn.speaker == speaker]
    answered = sum(
        ends_asking(turns[i].text) and i + 1 < len(turns) and turns[i + 1].speaker not in (speaker, lead) for i in theirs
    )
    replies = sum(i > 0 and turns[i - 1].speaker == lead and ends_asking(turns[i - 1].text) for i in theirs)
    words = sum(len(turns[i].text.split()) for i in theirs)
    return bool(theirs) and 2 * answered >= len(theirs) and answered > replies and words <= 60 * len(theirs)


def find_interviewers(turns: list[Turn] | tuple[Turn, ...]) -> list[str]:
    """The speaker labels of everyone who interviews, the one who asks most first.

    Two speakers: one asks, one answers. Among three or more, every speaker whose label
    says interviewer asks; so does every speaker not labelled either way who
    :func:`asks_mostly`, as long as somebody is left to answer. Labels that are all of one
    kind (R1, R2, P1, P2 read as respondents) say nothing.
    """
    speakers = list(Counter(turn.speaker for turn in turns))
    kinds = {s: _label_kind(s) for s in speakers}
    if len(set(kinds.values())) == 1:  # all labelled alike (R1, R2, P1, P2): the labels tell nothing
        kinds = dict.fromkeys(speakers)
    by_label = [s for s in speakers if kinds[s] == "interviewer"]
    candidates = [s for s in speakers if kinds[s] != "respondent"]
    pool = by_label or candidates
    lead = max(pool, key=lambda s: (asking_score(turns, s), -speakers.index(s)))
    if len(speakers) < 3:
        return [lead]
    askers = [s for s in speakers if s == lead or kinds[s] == "interviewer" or (kinds[s] is None and asks_mostly(turns, s, lead))]
    if len(askers) == len(speakers):  # somebody answers: the one who asks least
        askers.remove(min((s for s in askers if s != lead), key=lambda s: asking_score(turns, s)))
    questions = Counter(turn.speaker for turn in turns if ends_asking(turn.text))
    return sorted(askers, key=lambda s: (-questions[s], speakers.index(s)))


def interviewers_named(value: str, speakers: set[str]) -> list[str]:
    """The interviewers a front matter's ``interviewer:`` names: one label, or several separated
    by commas or semicolons. A speaker's label that holds a comma ("Okafor, Chidi") stays whole.

    >>> interviewers_named("Dana, Sam", {"Dana", "Sam", "Priya"}), interviewers_named("Smith, Anna", {"Smith, Anna", "Ben"})
    (['Dana', 'Sam'], ['Smith, Anna'])
    >>> interviewers_named("Okafor, Chidi, Lee, Dana", {"Okafor, Chidi", "Lee, Dana", "Ben"})
    ['Okafor, Chidi', 'Lee, Dana']
    """
    value = value.strip()
    if value in speakers:
        return [value]
    names: list[str] = []
    for part in filter(None, (part.strip() for part in value.split(";"))):
        words = [word.strip() for word in part.split(",") if word.strip()] if part not in speakers else [part]
        while words:
            pair = ", ".join(words[:2])
            taken = 2 if len(words) > 1 and pair in speakers else 1
            names.append(", ".join(words[:taken]))
            del words[:taken]
    return names


def find_interviewer(turns: list[Turn] | tuple[Turn, ...]) -> str:
    """The speaker label of the interviewer who asks most (see :func:`find_interviewers`)."""
    return find_interviewers(turns)[0]
