"""Speaker turns → who interviews and who answers.

The interviewer is the speaker whose label says so (Interviewer, Q, INT,
Moderator, Me, …) or, when labels say nothing (first names, Speaker 1,
SPEAKER_00), the one who asks: more of their turns are questions, and they are
shorter. The respondent may speak first with small talk.
"""

from __future__ import annotations

import re
from collections import Counter

from motive.transcripts import Turn

INTERVIEWER_LABELS = {
    "interviewer", "q", "int", "i", "moderator", "mod", "me", "host", "researcher",
    "facilitator", "question", "questioner", "ux researcher", "user researcher", "interviewer 1",
}
RESPONDENT_LABELS = {
    "customer", "a", "r", "resp", "respondent", "participant", "p", "interviewee", "client",
    "answer", "buyer", "user", "guest",
}
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
    return "?" in text or bool(_QUESTION_START.match(text.strip()))


def _label_kind(speaker: str) -> str | None:
    name = speaker.strip().lower().rstrip(".")
    if name in INTERVIEWER_LABELS:
        return "interviewer"
    if name in RESPONDENT_LABELS:
        return "respondent"
    return None


def asking_score(turns: list[Turn] | tuple[Turn, ...], speaker: str) -> float:
    """Share of a speaker's turns that are questions, less a little for long turns."""
    theirs = [turn for turn in turns if turn.speaker == speaker]
    if not theirs:
        return 0.0
    questions = sum(is_question(turn.text) for turn in theirs) / len(theirs)
    words = sum(len(turn.text.split()) for turn in theirs) / len(theirs)
    return questions - min(words, 200) / 1000


def find_interviewer(turns: list[Turn] | tuple[Turn, ...]) -> str:
    """The speaker label of the interviewer."""
    speakers = list(Counter(turn.speaker for turn in turns))
    by_label = [s for s in speakers if _label_kind(s) == "interviewer"]
    if len(by_label) == 1:
        return by_label[0]
    respondents = [s for s in speakers if _label_kind(s) == "respondent"]
    candidates = [s for s in speakers if s not in respondents] or speakers
    return max(candidates, key=lambda s: (asking_score(turns, s), -speakers.index(s)))
