"""What a text transcript says about itself before the speech: ``---`` front matter, a header
block saying who is who ("Interviewer: Dana Lee", "Date: 3 March"), a meeting's list of
attendees, and the speakers the front matter's ``interviewer:`` may name.
"""

from __future__ import annotations

import re

from motive.formats.names import AFFILIATION, full_name
from motive.formats.speaker_lines import labelled_line

_FRONT_MATTER_FENCE = "---"
_INTERVIEWER_KEYS = {"interviewer", "interviewers"}


def split_front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """Read ``key: value`` lines between two ``---`` fences at the top.

    Returns the metadata and the index of the first line after it.

    >>> split_front_matter(["---", "segment: retail", "---", "Q: Why?"])
    ({'segment': 'retail'}, 3)

    The key naming the interviewers is ``interviewer`` however it is written:

    >>> split_front_matter(["---", "Interviewers: Dana, Sam", "---"])[0]
    {'interviewer': 'Dana, Sam'}

    Fences around speech are rules between sections, not front matter: a speaker of the lines
    below asks a question in it, or speaks twice in it. (Other keys may come twice, as in a YAML
    list of participants: the last value stands.)

    >>> split_front_matter(["---", "Dana: Why the tent?", "Sam: It is light.", "---", "Dana: Why?", "Sam: Weight."])
    ({}, 0)
    """
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != _FRONT_MATTER_FENCE:
        return {}, 0
    for end in range(first + 1, len(lines)):
        if lines[end].strip() == _FRONT_MATTER_FENCE:
            break
    else:
        return {}, 0
    pairs = [(key.strip(), value.strip()) for key, sep, value in (line.partition(":") for line in lines[first + 1 : end])
             if sep and key.strip()]
    later = {found.label for line in lines[end + 1 :] if (found := labelled_line(line)) is not None}
    said_twice = {key for key, _ in pairs if sum(k == key for k, _ in pairs) > 1}
    if any(key in later and (value.endswith(("?", "？")) or key in said_twice) for key, value in pairs):
        return {}, 0
    return {"interviewer" if key.lower() in _INTERVIEWER_KEYS else key: value for key, value in pairs}, end + 1


#: Keys of a header block that describe the interview, not a person in it.
_HEADER_KEYS = {"date", "time", "project", "product", "study", "company", "organisation", "organization", "location",
                "duration", "recorded", "recording", "topic", "session", "interview", "account", "segment", "region",
                "language", "title", "role", "source", "market", "deal", "stage", "team", "department"}


def header_block(lines: list[str], start: int) -> tuple[dict[str, str], int]:
    """A block of ``Key: value`` lines at the top, ended by a blank line, that says who is who
    above a transcript ("Interviewer: Dana Lee", "Participant: Sam Ortiz", "Date: 3 March"): its
    keys and values, and the index of the blank line after it. It names a speaker of the
    transcript (by a full name where the turns are labelled by role, else by the label the turns
    use, or a full name that starts with it), describes the interview too (a date, a product,
    a project: :data:`_HEADER_KEYS`), says each thing once, and its values end in no sentence
    mark. ``({}, start)`` when the top is speech ("Interviewer: Hi Sam", "Customer: Hi Dana").

    >>> lines = ["Call notes", "Interviewer: Dana Lee", "Participant: Sam Ortiz", "Date: 3 March", "", "Interviewer: Why?", "Participant: Price."]
    >>> header_block(lines, 0)
    ({'Interviewer': 'Dana Lee', 'Participant': 'Sam Ortiz', 'Date': '3 March'}, 4)
    >>> header_block(["Interviewer: Hello Sam", "Participant: Hi Dana", "Date: today", "", "Interviewer: Why?", "Participant: Price."], 0)
    ({}, 0)
    >>> header_block(["Interviewer: Dana Lee", "Product: CRM", "", "Dana: Why?", "Sam: Price."], 0)
    ({'Interviewer': 'Dana Lee', 'Product': 'CRM'}, 2)
    """
    first = next((i for i in range(start, len(lines)) if lines[i].strip()), None)
    end = next((i for i in range(first, len(lines)) if not lines[i].strip()), None) if first is not None else None
    if end is None or end - first < 2:
        return {}, start
    block = [labelled_line(line) for line in lines[first:end]]
    pairs = block[1:] if block[0] is None else block  # a title line may come first
    later = {found.label for line in lines[end:] if (found := labelled_line(line)) is not None}
    if not later or any(found is None or not found.text for found in pairs) or len({f.label for f in pairs}) < len(pairs):
        return {}, start
    if any(found.text.rstrip().endswith(("?", "？", ".", "!")) or len(found.text.split()) > 8 for found in pairs):
        return {}, start
    names_a_speaker = any(
        (found.label in later and full_name(found.text))  # "Interviewer: Dana Lee" above "Interviewer:" turns
        or any(found.text == label or found.text.startswith(f"{label} ") for label in later)  # above "Dana Lee:" or "Dana:" turns
        for found in pairs
    )
    describes = any(found.label.lower() in _HEADER_KEYS for found in pairs)
    return ({found.label: found.text for found in pairs}, end) if names_a_speaker and describes else ({}, start)


_ATTENDEES_HEADING = re.compile(r"^\W*(?:attendees|participants)\W*?(?::\s*(?P<names>.*\S))?\s*$", re.IGNORECASE)


def attendees(lines: list[str]) -> set[str]:
    """The names a meeting's header lists under "Attendees" or "Participants" (Google Meet, typed
    notes), separated by commas, before the first turn; each also without who the person is.

    >>> sorted(attendees(["Interview - Transcript", "Attendees", "Chidi Okafor, Priya Patel", "Transcript"]))
    ['Chidi Okafor', 'Priya Patel']
    >>> sorted(attendees(["Participants: Dana Lee (Northwind), Gareth Hughes", "Dana Lee: Why?"]))
    ['Dana Lee', 'Dana Lee (Northwind)', 'Gareth Hughes']
    """
    i = attendees_heading(lines)
    if i is None:
        return set()
    names = _ATTENDEES_HEADING.match(lines[i])["names"] or next((following for following in lines[i + 1 :] if following.strip()), "")
    listed = [name.strip() for name in names.split(",") if name.strip()]
    return {*listed, *(AFFILIATION.sub("", name).strip() for name in listed)}


def attendees_heading(lines: list[str]) -> int | None:
    """The index of the "Attendees" or "Participants" line before the first turn, if there is one:
    a header, not a turn ("Participants: Ana, Peter" is not Participants saying "Ana, Peter").

    >>> attendees_heading(["Call with Peter", "Participants: Ana, Peter", "Ana: Why?"]), attendees_heading(["Ana: Why?", "Attendees"])
    (1, None)
    """
    for i, line in enumerate(lines):
        if _ATTENDEES_HEADING.match(line) is not None:
            return i
        if labelled_line(line) is not None:
            return None
    return None


def named_speakers(metadata: dict[str, str]) -> set[str]:
    """The speaker labels a front matter's ``interviewer:`` may name: the value, its parts between
    semicolons and between commas, and each two parts in a row ("Okafor, Chidi").

    >>> sorted(named_speakers({"interviewer": "Dana, Sam"}))
    ['Dana', 'Dana, Sam', 'Sam']
    """
    value = metadata.get("interviewer", "")
    names = {value}
    for part in value.split(";"):
        words = [word.strip() for word in part.split(",")]
        names.update([part, *words, *(", ".join(pair) for pair in zip(words, words[1:]))])
    return {name.strip() for name in names if name.strip()}
