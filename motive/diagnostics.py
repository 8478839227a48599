"""Interviewer diagnostics: chains that stopped at output level, whys to an outcome, leading questions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from motive.views import ChainView


_WH = re.compile(r"\b(why|what|how|which|who|whom|where|when|tell me|talk me|walk me|describe)\b", re.IGNORECASE)
_YES_NO_START = re.compile(
    r"^\W*(and |but |so )?(is|isn't|was|wasn't|are|aren't|were|does|doesn't|did|didn't|do|don't|would|wouldn't|"
    r"could|couldn't|will|won't|has|hasn't|have|haven't|can|can't|should)\b",
    re.IGNORECASE,
)
_SUMMARY_START = re.compile(r"^\W*(and )?so\b|^\W*(i guess|i imagine|i assume|i suppose|surely|presumably|sounds like)\b", re.IGNORECASE)
_SUGGESTION = re.compile(
    r"\b(because|about|to do with|so that|so you|mean|means|matter|safety|safe|risk|money|cost|cheaper|save|time|"
    r"stress|worr\w*|feel|customers?|sales|revenue|family|kids)\b",
    re.IGNORECASE,
)
_OPEN_YES_NO = re.compile(r"\b(anything|something) else\b|\bany other\b", re.IGNORECASE)
_TAG_END = re.compile(r"\b(right|correct|yes|yeah|no|isn't it|wasn't it|don't you|didn't it|true)\W*$", re.IGNORECASE)


_ACKNOWLEDGEMENT = r"(?:okay|ok|right|alright|all right|sure|of course|got it|i see|mm+|mhm|yeah|yes|great)"
#: Acknowledgements said as sentences of their own before the question: "Right. ", "Of course. ", "Got it! "
_ACKNOWLEDGED = re.compile(rf"^\W*(?:{_ACKNOWLEDGEMENT}\b(?:[.!]+|,(?=\s+so\s+\w))\s+)+", re.IGNORECASE)
#: A turn that is nothing but an acknowledgement: "Right.", "yeah", "Okay, got it."
_ONLY_ACKNOWLEDGED = re.compile(rf"^\W*(?:{_ACKNOWLEDGEMENT}\b\W*)+$", re.IGNORECASE)  # \b: "Mmmm…" splits one way only


def leading_reason(question: str | None) -> str | None:
    """Why a question looks leading, or None.

    A heuristic (its agreement with the corpus's ``leading`` flags is in
    BENCHMARKS.md): a question that offers its own answer — a summary
    ("So it's about the money."), a yes/no suggestion ("Is it the price?"), a
    tag ("…, right?") — or that asks two things at once. An acknowledgement
    said before it as a sentence of its own ("Right. So it's really about
    reputation?") is read past; a turn that is nothing but one ("Right.",
    "yeah") asks nothing.

    >>> leading_reason("Right. So it's really about reputation?"), leading_reason("Right."), leading_reason("Why?")
    ("puts an answer in the respondent's mouth", None, None)
    """
    if not question:
        return None
    if _ONLY_ACKNOWLEDGED.match(question):
        return None
    text = _ACKNOWLEDGED.sub("", question.strip())
    if text.count("?") >= 2 and len(re.findall(r"[^?]{12,}\?", text)) >= 2:
        return "asks two things at once"
    if _WH.search(text):
        return None
    if _TAG_END.search(text.rstrip("?. ")):
        return "ends with a tag that invites agreement"
    if _SUMMARY_START.search(text):
        return "puts an answer in the respondent's mouth"
    if _YES_NO_START.search(text) and " or " in text:
        return "offers the answers to choose from"
    if _YES_NO_START.search(text) and _SUGGESTION.search(text) and not _OPEN_YES_NO.search(text):
        return "a yes/no question that suggests the answer"
    return None


@dataclass
class Diagnostics:
    """How the interviews went: where chains stopped, how deep the whys went, leading questions."""

    chains: int
    reached: int
    stopped_at_output: list[dict]  # chains whose last labelled answer is output and that never reached an outcome
    stopped_elsewhere: int  # chains without an outcome that end on small talk or no answer
    whys_to_outcome: dict[int, int]  # probes before the first outcome → chains
    mean_whys_to_outcome: float | None
    leading_questions: list[dict]

    def to_dict(self) -> dict:
        return asdict(self)


def diagnose(views: Sequence[ChainView]) -> Diagnostics:
    """Interviewer diagnostics over every chain."""
    stopped = [v for v in views if not v.reached]
    at_output = [v for v in stopped if "output" in v.labels and [l for l in v.labels if l != "none"][-1] == "output"]
    whys = [v.whys_to_outcome for v in views if v.whys_to_outcome is not None]
    leading = []
    for view in views:
        for position, question in enumerate(view.questions):
            reason = leading_reason(question)
            if reason:
                leading.append({"source": view.source, "chain": view.chain, "position": position, "question": question, "reason": reason})
    return Diagnostics(
        chains=len(views),
        reached=sum(v.reached for v in views),
        stopped_at_output=[{"source": v.source, "chain": v.chain, "summary": v.summary, "answers": len(v.labels)} for v in at_output],
        stopped_elsewhere=len(stopped) - len(at_output),
        whys_to_outcome=dict(sorted(Counter(whys).items())),
        mean_whys_to_outcome=round(float(np.mean(whys)), 3) if whys else None,
        leading_questions=leading,
    )
