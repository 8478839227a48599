"""Lines that open a speaker's turn: ``Label: text``, with a time before the label or after it
("[00:01:02] Dana: …", Rev's "Dana (00:01:02): …"), in Markdown bold, or the label alone with
the words on the lines below. Which words may be a label is :func:`motive.formats.names.is_label`'s.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from motive.formats.base import clock_seconds
from motive.formats.names import is_label

#: "1:02", "00:01:02": a time on a clock or in a recording.
CLOCK_TIME = r"(?:\d{1,3}:[0-5]?\d|\d{1,3}):[0-5]\d"  # h:mm:ss, or mm:ss with minutes past 99 too
#: "Okafor, Chidi", "van der Berg, Anna (Acme)": a name written surname first, as company directories write them.
_NAME_WORD = r"[^\W\d_][\w'’.-]*"
SURNAME_FIRST = rf"{_NAME_WORD}(?:\ {_NAME_WORD}){{0,2}},\ {_NAME_WORD}(?:\ {_NAME_WORD})?(?:\ \([^()\n]{{1,30}}\))?"
_STAMP = rf"(?:{CLOCK_TIME}(?:[.,]\d{{1,3}})?(?:\ ?[AaPp][Mm])?)"  # and a chat's "10:02 AM"
_LABEL = re.compile(
    rf"""^\s*
    (?:[\[(]\s*(?P<before>{_STAMP})\s*[\])]\s*|(?P<bare>{_STAMP})\s+)?   # "[00:01:02] Dana: …", "00:01:02 Dana: …"
    (?:\*\*|__)?                                                        # Markdown bold: "**Dana:** …", "**Dana**: …"
    (?P<label>["“]?[^\W\d_](?:[^:：\s]|\ (?=\S)){{0,79}}?)              # starts with a letter (or a quoted nickname), single spaces; is_label judges its shape
    \s*(?:[\[(]\s*(?P<after>{_STAMP})\s*[\])]\s*)?                     # "Dana (00:01:02): …" (Rev)
    (?:(?:\*\*|__)\s*)?                                                 # each run of spaces has one place: no backtracking
    (?::\s*(?:\*\*|__)?(?:\s+(?P<text>\S.*)?)?                           # "Dana:" alone: the words follow below
    |：\s*(?:\*\*|__)?\s*(?P<wide>.*?))$                                  # "田中：…": the full-width colon of Chinese and Japanese""",
    re.VERBOSE,
)


class LabelledLine(NamedTuple):
    """A line that opens a turn: the speaker's label, the words after it, and the time stamped on it."""

    label: str
    text: str
    start: float | None = None
    bracketed: bool = False  # the time is in brackets: "Dana (00:07):", "[00:07] Dana:", not "9:00 Standup:"


@lru_cache(maxsize=1 << 16)  # the layouts read each line several times; read_document clears it after each document
def labelled_line(line: str) -> LabelledLine | None:
    """Read a line that opens a turn: ``Label: text``, with a time before the label or after it,
    in Markdown bold, or the label alone (its words on the lines below); ``None`` for any other line.

    >>> labelled_line("[00:01:02] Dana: Why?")
    LabelledLine(label='Dana', text='Why?', start=62.0, bracketed=True)
    >>> labelled_line("Ben Jones (00:12):")
    LabelledLine(label='Ben Jones', text='', start=12.0, bracketed=True)
    >>> labelled_line("**Interviewer:** Why?")
    LabelledLine(label='Interviewer', text='Why?', start=None, bracketed=False)
    >>> labelled_line("Q12: And why?").label
    'Q12'
    """
    match = _LABEL.match(line)
    if not match or not is_label(match["label"]):
        return None
    stamp = match["before"] or match["bare"] or match["after"]
    label = match["label"].strip()
    return LabelledLine(label, (match["text"] or match["wide"] or "").strip(), clock_seconds(stamp) if stamp else None,
                        bool(match["before"] or match["after"]))


def speaker_label(line: str) -> tuple[str, str] | None:
    """Return ``(label, text)`` when a line opens a turn, else ``None``.

    >>> speaker_label("Plant Manager: We run three shifts.")
    ('Plant Manager', 'We run three shifts.')
    >>> speaker_label("00:01:02 the clock") is None
    True
    """
    opened = labelled_line(line)
    return None if opened is None else (opened.label, opened.text)
