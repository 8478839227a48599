"""Speaker turns → question/answer exchanges → why chains.

Pure functions: they take turns and question kinds and return indices, so they
are tested with hand-written transcripts and no model.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from motive.labels import QUESTION_KINDS
from motive.transcripts import Turn


@dataclass(frozen=True)
class Exchange:
    """One answer and the interviewer turn it answers (``None`` when the respondent spoke first).

    ``speakers``: who gave the answer, in the order they spoke (more than one when people of the
    buyer's side answer in turn; ``answer.speaker`` then names them all in one string); ``askers``:
    who asked the question.
    """

    answer: Turn
    question: Turn | None
    speakers: tuple[str, ...] = ()
    askers: tuple[str, ...] = ()  # who asked the question, in the order they spoke


def pair_exchanges(turns: list[Turn] | tuple[Turn, ...], interviewers: str | Collection[str]) -> list[Exchange]:
    """Pair each respondent answer with the interviewer turn before it.

    ``interviewers``: one speaker label, or the labels of everyone who asks. Consecutive
    respondent turns are one answer, and consecutive interviewer turns one question, whoever
    of them speaks: when two people of the buyer's side answer one question in turn, the answer
    is both of theirs, its ``speakers`` lists both and its speaker names both ("Marco, Lena";
    "Okafor, Chidi; Lee, Dana" when a label holds a comma). An interviewer turn nobody answers
    is dropped.

    >>> turns = [Turn("Dana", "Why?", 1), Turn("Sam", "And why now?", 2), Turn("Marco", "Racking.", 3), Turn("Lena", "Servicing.", 4)]
    >>> [(e.askers, e.question.text, e.speakers, e.answer.speaker, e.answer.text) for e in pair_exchanges(turns, {"Dana", "Sam"})]
    [(('Dana', 'Sam'), 'Why? And why now?', ('Marco', 'Lena'), 'Marco, Lena', 'Racking. Servicing.')]
    """
    asking = {interviewers} if isinstance(interviewers, str) else set(interviewers)
    exchanges: list[Exchange] = []
    question: Turn | None = None
    question_speakers: tuple[str, ...] = ()
    answered = True
    for turn in turns:
        if turn.speaker in asking:
            if answered or question is None:
                question, question_speakers = turn, (turn.speaker,)
            else:
                question_speakers = _with(question_speakers, turn.speaker)
                question = _join(question, turn, question_speakers)
            answered = False
        elif exchanges and answered:
            last = exchanges[-1]
            speakers = _with(last.speakers, turn.speaker)
            exchanges[-1] = Exchange(_join(last.answer, turn, speakers), last.question, speakers, last.askers)
        else:
            exchanges.append(Exchange(turn, question, (turn.speaker,), question_speakers if question is not None else ()))
            answered = True
    return exchanges


def _with(speakers: tuple[str, ...], speaker: str) -> tuple[str, ...]:
    return speakers if speaker in speakers else (*speakers, speaker)


def joined_speakers(speakers: tuple[str, ...] | list[str]) -> str:
    """Several speakers' labels as one: separated by commas, or by semicolons when a label holds a comma.

    >>> joined_speakers(("Marco", "Lena")), joined_speakers(("Okafor, Chidi", "Lee, Dana"))
    ('Marco, Lena', 'Okafor, Chidi; Lee, Dana')
    """
    return ("; " if any("," in speaker for speaker in speakers) else ", ").join(speakers)


def _join(first: Turn, second: Turn, speakers: tuple[str, ...]) -> Turn:
    """One turn of two that follow each other, spoken by ``speakers``."""
    end = second.end if second.end is not None else first.end
    return Turn(joined_speakers(speakers), f"{first.text} {second.text}", first.line, first.start, end)


def assign_chains(kinds: list[str | None]) -> list[int | None]:
    """Question kinds → the chain index of each answer (``None``: belongs to no chain).

    A root question opens a chain, a probe continues the open one (or opens one
    when none is open yet), an aside or a missing question belongs to none.

    >>> assign_chains([None, "aside", "root", "probe", "root", "aside", "probe"])
    [None, None, 0, 0, 1, None, 1]
    """
    chains: list[int | None] = []
    current: int | None = None
    opened = -1
    for kind in kinds:
        if kind == "root" or (kind == "probe" and current is None):
            opened += 1
            current = opened
        chains.append(current if kind in ("root", "probe") else None)
    return chains


def chain_members(chain_of: list[int | None]) -> list[list[int]]:
    """Invert :func:`assign_chains`: the answer indices of each chain, in order."""
    count = max((c for c in chain_of if c is not None), default=-1) + 1
    members: list[list[int]] = [[] for _ in range(count)]
    for index, chain in enumerate(chain_of):
        if chain is not None:
            members[chain].append(index)
    return members


def depths(chain_of: list[int | None]) -> list[int]:
    """How many answers of the same chain come before each answer (0 for a chain's first answer, -1 outside chains)."""
    seen: dict[int, int] = {}
    result = []
    for chain in chain_of:
        if chain is None:
            result.append(-1)
        else:
            result.append(seen.get(chain, 0))
            seen[chain] = seen.get(chain, 0) + 1
    return result


def previous_in_chain(chain_of: list[int | None]) -> list[int | None]:
    """The index of the answer before each answer in its chain (``None`` for a chain's first answer)."""
    last: dict[int, int] = {}
    result: list[int | None] = []
    for index, chain in enumerate(chain_of):
        result.append(last.get(chain) if chain is not None else None)
        if chain is not None:
            last[chain] = index
    return result


def next_in_chain(chain_of: list[int | None]) -> list[int | None]:
    """The index of the answer after each answer in its chain (``None`` for a chain's last answer).

    >>> next_in_chain([None, 0, 0, 1, None, 0])
    [None, 2, 5, None, None, None]
    """
    result: list[int | None] = [None] * len(chain_of)
    for index, before in enumerate(previous_in_chain(chain_of)):
        if before is not None:
            result[before] = index
    return result


# --- cues a question gives about its kind -------------------------------------------------

_ROOT_CUES = re.compile(
    r"\b(another reason|any other reason|other reasons?|anything else|go(ing)? back|back to|"
    r"switch(ing)? (gears|topics)|different (topic|question)|what about|what made you|why did you (buy|choose|pick|go|get|sign|switch|decide)|"
    r"why (do|did) you (buy|get)|why (buy|choose|pick)|second (thing|reason|product)|also (buy|bought|use)|"
    r"let'?s talk about|tell me about|how did you (come|end up)|the other|"
    # choosing this one (GUIDELINES §4.11) and sideways questions (§4.12)
    r"why (that|this|these|those|the) (one|ones|brand|model|vendor|company|firm|shop|store|supplier|plan|course|school)|"
    r"rather than|instead of|versus|vs|why not(?![\s?.!]*(?:[?.!]|$))|specifically|in particular|beyond|anything (personal|beyond)|what else|"
    r"(the )?second (one|part)|(change|changed) anything|^\W*(and|but|what about)?\W*for (you|your|the|them|him|her)\b)\b",
    re.IGNORECASE,
)
_PROBE_CUES = re.compile(
    r"\b(why (is|was|does|did) (that|this|it)|why('s| is) that|what would happen|what happens|and then|so it'?s|"
    r"what does (that|this) (get|give|mean|do)|why does (that|it) matter|how so|what do you mean|meaning|"
    r"why would|and why|which means|means what|how come|so what|what if|important|matter|problem)\b|\bwhy not\s*(?:[?.!]|$)",  # a bare "Why not?" digs, also before more words
    re.IGNORECASE,
)
_SMALL_TALK_CUES = re.compile(
    r"\b(how are you|how's (it|your|the)|thank(s| you)|weather|can you hear|before we (start|begin)|"
    r"record(ing)?|consent|wrap (up|things up)|that'?s all|anything you'?d like to add|appreciate)\b",
    re.IGNORECASE,
)


# An acknowledgement the interviewer says before the question ("Thanks, that's helpful. Why does
# that matter?"): it says nothing of the question's kind, and the courtesy of a wrap-up reads like one.
_ACKNOWLEDGEMENT = (
    r"(?:thank\s+you|thanks)(?:\s+(?:so|very)\s+much)?(?:\s+for\s+(?:that|this|sharing|explaining)(?:\s+that)?)?"
    r"|(?:that'?s|that\s+is|this\s+is)\s+(?:(?:really|very|super|so)\s+)?(?:helpful|useful|interesting|clear|fascinating|great)"
    r"|okay|ok|alright|all\s+right|great|right|perfect|cool|sure|got\s+it|gotcha|i\s+see|interesting|understood|makes\s+sense"
    r"|fair\s+enough|lovely|brilliant|excellent|wonderful|fantastic|awesome|noted|wow|yeah|mm+|hmm+|mhm|uh-huh|um+|uh+|er+"
)
# One acknowledgement and what ends it: punctuation where the turn has any, else the next word.
_LEADING_ACKNOWLEDGEMENT = {
    True: re.compile(rf"(?:{_ACKNOWLEDGEMENT})\s*[,.!;:…—–-]+\s*", re.IGNORECASE),
    False: re.compile(rf"(?:{_ACKNOWLEDGEMENT})(?:\s*[,.!;:…—–-]+\s*|\s+(?=\S)|\s*$)", re.IGNORECASE),
}
_QUESTION_START = re.compile(
    r"(?:why|what|how|when|where|who|whom|whose|which|is|are|was|were|do|does|did|can|could|would|will|should|have|has|had|"
    r"and|so|but|or|then|tell|any|anything|if)\b",
    re.IGNORECASE,
)


def without_acknowledgement(question: str | None) -> str | None:
    """The question without the acknowledgements said before it ("Thanks, that's helpful.",
    "Okay, great.", "got it thanks"), where what follows is itself a question: a turn that is
    all thanks, or thanks and a closing remark, is kept whole, for that is what a wrap-up says.

    Where the turn has punctuation, each acknowledgement must end in it ("Thanks for joining.
    You run the plant?" keeps its greeting); a transcript without punctuation is read word by word.

    >>> without_acknowledgement("Thanks, that's helpful. Why does that matter?")
    'Why does that matter?'
    >>> without_acknowledgement("okay thanks so what does that get you")
    'so what does that get you'
    >>> without_acknowledgement("perfect thank you so much")
    'perfect thank you so much'
    >>> without_acknowledgement("Okay. Thanks, this was really useful.")
    'Okay. Thanks, this was really useful.'
    >>> without_acknowledgement("Right now, how do you schedule the crews?")
    'Right now, how do you schedule the crews?'
    """
    if not question:
        return question
    leading = _LEADING_ACKNOWLEDGEMENT[re.search(r"[,.!?;:]", question) is not None]
    rest = question.lstrip()
    while (found := leading.match(rest)) and found.end() < len(rest):
        rest = rest[found.end():]
    if rest is question.lstrip() or not ("?" in rest or _QUESTION_START.match(rest)):
        return question
    return rest


_STOPWORDS = frozenset(
    "a an the and or but so if then of to in on at for with from by about as is are was were be been being "
    "do does did have has had i you he she it we they me my your our their this that these those what why "
    "how when where which who would could should will can just really yeah um uh like okay well there".split()
)


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9']+", text.lower()) if w not in _STOPWORDS and len(w) > 2}


def word_overlap(question: str | None, previous_answer: str | None) -> float:
    """Share of the question's content words that the previous answer used: probes pick up its words.

    >>> round(word_overlap("Why did you need the fourth electrician?", "We hired a fourth electrician."), 2)
    0.67
    """
    asked = content_words(question or "")
    if not asked or not previous_answer:
        return 0.0
    return len(asked & content_words(previous_answer)) / len(asked)


#: The columns :func:`question_cues` gives, in order: what each means (features read them by name).
CUE_COLUMNS = ("overlap", "no_question", "root_cue", "probe_cue", "small_talk_cue", "question_mark", "length", "first",
               "place", "last")


def question_cues(question: str | None, position: int, count: int, previous_answer: str | None = None) -> list[float]:
    """Hand features of a question (:data:`CUE_COLUMNS`): kind cues, being a question, its place in
    the interview, and how much it picks up from the answer before it."""
    text = question or ""
    return [
        word_overlap(question, previous_answer),
        float(question is None),
        float(bool(_ROOT_CUES.search(text))),
        float(bool(_PROBE_CUES.search(text))),
        float(bool(_SMALL_TALK_CUES.search(text))),
        float("?" in text),
        min(len(text.split()), 60) / 60,
        float(position == 0),
        position / max(count - 1, 1),
        float(position == count - 1),
    ]
