"""What motive returns: one :class:`Result` per transcript, the same object the CLI writes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Answer:
    """A respondent answer, its label, and where it sits in the interview."""

    text: str
    question: str | None
    speaker: str
    label: str  # "output" | "outcome" | "none"
    confidence: float  # probability of the label, 0–1
    chain: int | None  # index into Result.chains; None outside any chain
    sentences: list[str]
    evidence: str  # the sentence that carries the label
    question_kind: str | None = None  # "root" | "probe" | "aside"; None when nobody asked
    probabilities: dict[str, float] = field(default_factory=dict)
    line: int = 0
    start: float | None = None
    end: float | None = None


@dataclass
class Chain:
    """A root question and the probes under it."""

    answers: list[int]  # indices into Result.answers, in order
    terminal: int | None  # index into Result.answers; None when the chain never reaches an outcome
    summary: str  # "<what they buy> → <terminal outcome>"


@dataclass
class Result:
    """One transcript, classified. ``error`` is set (and the rest empty) when it could not be read."""

    source: str
    answers: list[Answer] = field(default_factory=list)
    chains: list[Chain] = field(default_factory=list)
    interviewer: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def terminals(self) -> list[Answer]:
        """The terminal answer of each chain that reached an outcome."""
        return [self.answers[c.terminal] for c in self.chains if c.terminal is not None]

    def to_dict(self) -> dict:
        """JSON-ready, with the same names as the attributes: exactly what the CLI writes."""
        return asdict(self)

    @classmethod
    def from_dict(cls, record: dict) -> Result:
        """The inverse of :meth:`to_dict`: a record read back from JSON.

        >>> result = Result("a.txt", chains=[Chain([0], None, "x")], notes=["n"])
        >>> Result.from_dict(result.to_dict()) == result
        True
        """
        fields = dict(record)
        fields["answers"] = [Answer(**answer) for answer in record.get("answers", [])]
        fields["chains"] = [Chain(**chain) for chain in record.get("chains", [])]
        return cls(**fields)
