"""Transcripts as they arrive sent or pasted: inside an e-mail (its headers, a quote, a
sign-off and signature) or from a spreadsheet (a tab between speaker and words). Each function
takes a file's lines and gives them back with what is not the transcript blanked or rewritten,
line for line, so that line numbers hold.
"""

from __future__ import annotations

import re
from collections import Counter

from motive.formats.names import is_label
from motive.formats.speaker_lines import labelled_line

_MAIL_HEADER = re.compile(r"^\s*(?:>\s?)*(?:from|sent|to|cc|bcc|subject|date|reply-to)\s*:", re.IGNORECASE)
_MAIL_SEPARATOR = re.compile(r"^\s*(?:>\s?)*-{2,}\s*(?:forwarded message|original message)\s*-{2,}\s*$", re.IGNORECASE)


def without_mail_headers(lines: list[str]) -> list[str]:
    """Lines without the headers of e-mails a transcript was sent or forwarded in: runs of three
    or more "From:", "Sent:", "To:", "Subject:" … lines, and "---- Forwarded message ----", blanked.

    >>> without_mail_headers(["From: Dana", "Sent: Monday", "Subject: Call", "", "Dana: Why?", "Sam: Price."])
    ['', '', '', '', 'Dana: Why?', 'Sam: Price.']
    """
    kept = list(lines)
    run: list[int] = []
    for i, line in enumerate([*lines, ""]):
        if i < len(lines) and _MAIL_HEADER.match(line):
            run.append(i)
            continue
        if len(run) >= 3:
            for j in run:
                kept[j] = ""
        run = []
        if i < len(lines) and _MAIL_SEPARATOR.match(line):
            kept[i] = ""
    return kept


_QUOTED = re.compile(r"^\s*>\s?")


_TAB_LABEL = re.compile(r"^(?P<label>[^\t:]{1,60}?)\s*\t+\s*(?P<text>\S.*)$")


def tab_labels(lines: list[str]) -> list[str]:
    r"""Speakers set apart from their words by a tab ("DANA<tab>Why?", a spreadsheet pasted as
    text) → ``DANA: Why?``, where two such labels open two lines or more each, and such lines,
    one tab each, are four in five of the file's lines or more.

    >>> tab_labels(["DANA\tWhy?", "SAM\tPrice.", "DANA\tAnd?", "SAM\tSpeed.", "Notes\tnone"])
    ['DANA: Why?', 'SAM: Price.', 'DANA: And?', 'SAM: Speed.', 'Notes\tnone']
    """
    found = {i: match for i, line in enumerate(lines)
             if (match := _TAB_LABEL.match(line)) and is_label(match["label"]) and "\t" not in match["text"]}
    counts = Counter(match["label"] for match in found.values())
    speakers = {label for label, count in counts.items() if count >= 2}
    speech = sum(bool(line.strip()) for line in lines)
    if len(speakers) < 2 or 5 * len(found) < 4 * speech:  # nearly every line: a table pasted into an answer is not
        return lines
    return [f"{found[i]['label']}: {found[i]['text']}" if i in found and found[i]["label"] in speakers else line
            for i, line in enumerate(lines)]


def quoted_transcript(lines: list[str]) -> list[str]:
    """A transcript quoted in an e-mail ("> Dana: Why?"): the quoted lines without their marks,
    the e-mail around them (its header, greeting and signature) blanked. Lines stay where they
    were, so that line numbers hold. Only where two speakers speak twice or more inside the quote
    and nobody twice outside it: a chat quoted in one answer of an interview stays in the answer.

    >>> quoted_transcript(["From: Dana", "Hi all,", "> Dana: Why?", "> Sam: Price.", "> Dana: And?", "> Sam: Speed.", "Best,"])
    ['', '', 'Dana: Why?', 'Sam: Price.', 'Dana: And?', 'Sam: Speed.', '']
    """
    quoted = [_QUOTED.match(line) is not None for line in lines]
    inside = Counter(found.label for line, q in zip(lines, quoted) if q and (found := labelled_line(_QUOTED.sub("", line, count=1))))
    outside = Counter(found.label for line, q in zip(lines, quoted) if not q and (found := labelled_line(line)))
    # The quote holds the interview (labels that come back), what is outside it no speaker twice (an e-mail's header).
    if sum(count >= 2 for count in inside.values()) < 2 or any(count >= 2 for count in outside.values()):
        return lines
    return [_QUOTED.sub("", line, count=1) if q else "" for line, q in zip(lines, quoted)]


#: How an e-mail signs off: "Best," / "Kind regards," alone on a line, or the "-- " that opens a signature.
_SIGN_OFF = re.compile(r"^\s*(?:(?:best|best regards|best wishes|kind regards|warm regards|regards|thanks|thank you|"
                       r"many thanks|cheers|all the best|sincerely|yours),|--|—)\s*$", re.IGNORECASE)


def without_signature(lines: list[str]) -> list[str]:
    """Lines without the sign-off of an e-mail a transcript was sent in ("Best,", a name, a
    signature), blanked: a sign-off line in the last twelve lines, followed only by short lines
    (a name, a signature) in which no speaker of the transcript speaks again ("Phone: …" in the
    signature is none). An e-mail read out in an answer, with the answer going on after it, stays.

    >>> without_signature(["Dana: Why?", "Sam: Our CFO.", "", "Best,", "Dana", "--", "Dana Lee | Northwind", "Phone: 0123"])
    ['Dana: Why?', 'Sam: Our CFO.', '', '', '', '', '', '']
    """
    start = max(len(lines) - 12, 0)
    speakers = {found.label for line in lines[:start] if (found := labelled_line(line)) is not None}
    for i in range(start, len(lines)):
        after = lines[i + 1 :]
        if (_SIGN_OFF.match(lines[i]) and all(len(line.split()) <= 8 for line in after)
                and not any((found := labelled_line(line)) is not None and found.label in speakers for line in after)):
            return [*lines[:i], *[""] * (len(lines) - i)]
        if (found := labelled_line(lines[i])) is not None:
            speakers.add(found.label)
    return lines
