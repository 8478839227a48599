"""Why chains flattened for the insights: one :class:`ChainView` per chain of every result, with
what segments, themes, the value map, the messaging gap and the diagnostics need to know.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from motive.results import Answer, Result


@dataclass
class ChainView:
    """One why chain with what the insights need to know about it."""

    source: str
    chain: int
    metadata: dict[str, str]
    labels: list[str]  # label of each answer, in order
    reached: bool  # the chain has a terminal why
    whys_to_outcome: int | None  # probes before the first outcome answer; None when none was reached
    what: str  # what they buy (the summary's left side)
    summary: str
    terminal: Answer | None
    outcomes: list[Answer]  # outcome answers before the terminal, in order
    outputs: list[Answer]
    questions: list[str | None]
    theme: str | None = None  # the theme of its terminal why, once the insights have found themes


    @property
    def driver(self) -> str | None:
        return self.terminal.driver if self.terminal else None

    @property
    def discipline(self) -> str | None:
        return self.terminal.discipline if self.terminal else None

    def to_dict(self) -> dict:
        return {
            "source": self.source, "chain": self.chain, "metadata": self.metadata, "labels": self.labels,
            "reached": self.reached, "whys_to_outcome": self.whys_to_outcome, "what": self.what,
            "summary": self.summary, "terminal": self.terminal.evidence if self.terminal else None,
            "driver": self.driver, "discipline": self.discipline, "theme": self.theme,
        }


def chain_views(results: Sequence[Result]) -> list[ChainView]:
    """Every chain of every readable result, the results in the order of their sources: the same
    interviews give the same insights (themes, intervals, tests), in whatever order they came."""
    views = []
    for result in sorted(results, key=lambda r: r.source):
        if not result.ok:
            continue
        for index, chain in enumerate(result.chains):
            answers = [result.answers[i] for i in chain.answers]
            labels = [a.label for a in answers]
            terminal = result.answers[chain.terminal] if chain.terminal is not None else None
            upto = chain.answers.index(chain.terminal) if chain.terminal is not None else len(answers)
            views.append(
                ChainView(
                    source=result.source,
                    chain=index,
                    metadata=dict(result.metadata),
                    labels=labels,
                    reached=terminal is not None,
                    whys_to_outcome=labels.index("outcome") if terminal is not None else None,
                    what=chain.summary.split(" → ")[0],
                    summary=chain.summary,
                    terminal=terminal,
                    outcomes=[a for a in answers[:upto] if a.label == "outcome"],
                    outputs=[a for a in answers if a.label == "output"],
                    questions=[a.question for a in answers],
                )
            )
    return views


def said_by(view: ChainView) -> dict:
    """Who said a chain's terminal why, and where: its interview, chain and speaker."""
    return {"source": view.source, "chain": view.chain, "speaker": view.terminal.speaker if view.terminal else None}


def quoted_from(theme, quote: int = 0) -> str:
    """ "calls/maya.txt, Maya": where a theme's quote was said, for text and HTML; "" when not known."""
    said = theme.extra.get("quoted_from", [])
    if quote >= len(said):
        return ""
    return ", ".join(str(part) for part in (said[quote]["source"], said[quote]["speaker"]) if part)
