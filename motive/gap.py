"""The messaging gap: a company's value propositions beside what its customers want.

Seed 004's story: a company marketed inventory control, cost containment and
margin, while its customers wanted time with their own customers, money in
their pocket and less intensity. This module puts the two side by side:
which customer outcome themes (terminal whys, :mod:`motive.themes`) each
message covers, which themes no message addresses, and which messages no
customer echoes. Messages and answers are compared by the cosine similarity
of their sentence embeddings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from motive.errors import MotiveError
from motive.output import counted, printable_lines
from motive.summary import clipped_quote
from motive.views import chain_views, quoted_from, said_by

#: Cosine similarity from which a message covers a theme or echoes an answer.
DEFAULT_THRESHOLD = 0.3
#: A message's similarity to a theme: the mean over the theme's this-many members most like it.
TOP_MEMBERS = 3


@dataclass
class MessageMatch:
    message: str
    themes: list[int]  # indices of the customer themes it covers
    best_theme: int | None  # None, with best_similarity, when there is no theme to compare with
    best_similarity: float | None
    echo: str | None  # the customer answer closest to it, when close enough
    echo_similarity: float | None  # None when no chain reached an outcome
    driver: str | None = None  # the message's value driver, read as an outcome answer
    discipline: str | None = None

    @property
    def echoed(self) -> bool:
        return self.echo is not None


@dataclass
class Gap:
    messages: list[MessageMatch]
    themes: list  # motive.themes.Theme: what customers want (terminal whys)
    similarity: list[list[float]]  # messages × themes: mean cosine to the theme's 3 members most like the message
    uncovered: list[int]  # themes no message covers
    unechoed: list[int]  # messages no customer echoes
    threshold: float

    def to_dict(self) -> dict:
        return {
            "threshold": self.threshold,
            "messages": [asdict(m) | {"echoed": m.echoed} for m in self.messages],
            "themes": [t.to_dict() for t in self.themes],
            "similarity": self.similarity,
            "uncovered": self.uncovered,
            "unechoed": self.unechoed,
        }


#: A list marker before a message: "- ", "* ", "• ", "1. ", "2) ".
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+")


def read_messages(path: Path) -> list[str]:
    """Value propositions, one per line; blank lines, ``#`` comments, list markers and repeats are skipped.

    The file may be a plain or numbered list (``- Cost containment``, ``1. Cost containment``), a
    CSV (``.csv``, ``.tsv``: the column a header row names ``message`` or ``text``, else the first
    column of every row), or JSON (``.json``: a list of strings, or ``{"messages": [...]}``).
    """
    from motive.transcripts import read_user_text

    content = read_user_text(path, "messaging file")
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        said = _json_messages(path, content)
    elif suffix in (".csv", ".tsv"):
        said = _csv_messages(content, "\t" if suffix == ".tsv" else None)
    else:
        lines = content.splitlines()
        said = [_LIST_MARKER.sub("", line).strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    messages = list(dict.fromkeys(message.strip() for message in said if message.strip()))
    if not messages:
        raise MotiveError(f"{path}: no value propositions in it (one per line; or a CSV with a 'message' column, or a JSON list)")
    return messages


#: Column names of a messaging CSV that hold the messages.
MESSAGE_COLUMNS = ("message", "messages", "value proposition", "proposition", "text", "claim")


def _csv_messages(content: str, delimiter: str | None) -> list[str]:
    """The messages of a CSV: the column :data:`MESSAGE_COLUMNS` names in a header row, else the
    first column of every row."""
    import csv
    import io

    from motive.transcripts import csv_delimiter, sniffed_delimiter

    if delimiter is None:
        delimiter = csv_delimiter(content, lambda names: bool(names & set(MESSAGE_COLUMNS))) or sniffed_delimiter(content)
    rows = [row for row in csv.reader(io.StringIO(content.lstrip("\ufeff"), newline=""), delimiter=delimiter) if any(c.strip() for c in row)]
    if not rows:
        return []
    header = [name.strip().lower() for name in rows[0]]
    column = next((header.index(name) for name in MESSAGE_COLUMNS if name in header), None)
    if column is None:  # no header row names the messages: every row is one, in the first column
        return [row[0] for row in rows]
    return [row[column] for row in rows[1:] if column < len(row)]


def _json_messages(path: Path, content: str) -> list[str]:
    import json

    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        raise MotiveError(f"{path}: not JSON ({error.msg}, line {error.lineno})") from None
    if isinstance(data, dict):
        data = next((data[key] for key in data if str(key).lower() in ("messages", "value_propositions", "propositions")), None)
    if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
        raise MotiveError(f'{path}: a JSON messaging file holds a list of strings, or {{"messages": [...]}}')
    return data


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def compare(
    messages: Sequence[str],
    message_vectors: np.ndarray,
    answers: Sequence[str],
    answer_vectors: np.ndarray,
    themes: Sequence,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> Gap:
    """Match messages to customer themes (each theme's ``members`` index ``answers``)."""
    messages_u, answers_u = _unit(message_vectors), _unit(answer_vectors)
    to_answers = messages_u @ answers_u.T if len(answers) else np.zeros((len(messages), 0))
    to_themes = np.zeros((len(messages), len(themes)))
    for t, theme in enumerate(themes):
        closest = -np.sort(-to_answers[:, theme.members], axis=1)[:, :TOP_MEMBERS]
        to_themes[:, t] = closest.mean(axis=1)
    matches = []
    for i, message in enumerate(messages):
        best = int(to_themes[i].argmax()) if len(themes) else None
        closest = int(to_answers[i].argmax()) if len(answers) else None
        echo_similarity = float(to_answers[i, closest]) if closest is not None else None
        matches.append(
            MessageMatch(
                message=message,
                themes=[int(t) for t in np.flatnonzero(to_themes[i] >= threshold)],
                best_theme=best,
                best_similarity=round(float(to_themes[i, best]), 4) if best is not None else None,
                echo=answers[closest] if echo_similarity is not None and echo_similarity >= threshold else None,
                echo_similarity=round(echo_similarity, 4) if echo_similarity is not None else None,
            )
        )
    covered = {t for m in matches for t in m.themes}
    return Gap(
        messages=matches,
        themes=list(themes),
        similarity=np.round(to_themes, 4).tolist(),
        uncovered=[t for t in range(len(themes)) if t not in covered],
        unechoed=[i for i, m in enumerate(matches) if not m.echoed],
        threshold=threshold,
    )


def messaging_gap(
    results, messages: Sequence[str], model, *, threshold: float = DEFAULT_THRESHOLD, distance: float | None = None, embedder=None,
    themes=None,
) -> Gap:
    """The gap between ``messages`` and the terminal whys of ``results``, embedded with ``embedder``
    (default: ``model``'s; pass the :class:`~motive.model.EmbeddingCache` other insights used, to embed once).
    ``themes``: the themes of those terminal whys where they were found already
    (:attr:`~motive.insights.Insights.themes`), so that the report and the gap share them.

    Each message also gets the value driver and discipline the model reads in it,
    to set beside the customers' own.
    """
    from motive.themes import DEFAULT_DISTANCE, find_themes

    reached = [v for v in chain_views(results) if v.terminal is not None]
    answers = [v.terminal.text for v in reached]  # whole answers, as the themes of insights cluster them
    embedder = embedder or model.embedder
    answer_vectors = np.asarray(embedder.embed(answers)) if answers else np.zeros((0, embedder.dimension))
    if themes is None:
        themes, _ = find_themes(answers, answer_vectors, sources=[v.source for v in reached], distance=distance or DEFAULT_DISTANCE)
        for theme in themes:
            theme.extra["quoted_from"] = [said_by(reached[i]) for i in theme.quoted]
    gap = compare(messages, np.asarray(embedder.embed(list(messages))), answers, answer_vectors, themes, threshold=threshold)
    if getattr(model, "tags", None):
        tags = model.predict_tags(list(messages))
        for match, driver, discipline in zip(gap.messages, tags.get("driver", []), tags.get("discipline", [])):
            match.driver, match.discipline = driver[0], discipline[0]
    return gap


def format_gap(gap: Gap) -> str:
    """The gap as text: messages with what they cover, then what no message addresses."""

    lines = [f"Messages (covering a theme from cosine {gap.threshold:.2f}):"]
    for match in gap.messages:
        covered = ", ".join(gap.themes[t].name for t in match.themes) or "no customer theme"
        tag = f" [{match.driver}, {match.discipline}]" if match.driver else ""
        lines.append(f"  - {match.message}{tag}: {covered}" + ("" if match.echoed else "  ← no customer's terminal why echoes it"))
    lines.append("Customer outcomes no message addresses:")
    for t in gap.uncovered:
        theme = gap.themes[t]
        where = quoted_from(theme)
        lines.append(f"  - {theme.name} ({counted(theme.count, 'terminal why')}): \"{clipped_quote(theme.quotes[0])}\"" + (f" ({where})" if where else ""))
    if not gap.themes:
        lines.append(f"  ({NO_OUTCOMES})")
    elif not gap.uncovered:
        lines.append("  (none)")
    return printable_lines("\n".join(lines))  # transcripts' and messages' words cannot move the cursor


#: What the gap says when no customer outcome is there to compare messages with.
NO_OUTCOMES = "no chain reached an outcome: there are no customer outcomes to compare the messages with"
