"""What motive returns: one :class:`Result` per transcript, the same object the CLI writes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: How a skipped result's error begins when classifying its file failed on something no check
#: foresaw (motive.pipeline): a resumed run tries such a file again.
NOT_CLASSIFIED = "could not be classified"


@dataclass
class Answer:
    """A respondent answer, its label, and where it sits in the interview.

    ``label`` is ``"output"``, ``"outcome"`` or ``"none"``, with ``confidence`` its
    probability (``probabilities`` has all three); ``chain`` indexes ``Result.chains``
    (None outside any chain); ``evidence`` is the sentence that carries the label;
    ``question_kind`` is ``"root"``, ``"probe"`` or ``"aside"`` (None when nobody asked);
    ``line`` is the 1-based line the answer starts on in text formats (0 in captions and
    JSON), ``start`` and ``end`` are seconds where the format has times. Outcome answers
    also get ``driver`` (``"increase-revenue"``, ``"decrease-cost"``, ``"mitigate-risk"``,
    ``"emotional-need"``) and ``discipline`` (``"operational"``, ``"performance"``,
    ``"intimacy"``) with their confidences. ``speakers`` lists who answered, ``asked_by``
    who asked ``question``.
    """

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
    # Outcome answers only (None otherwise, or when the model has no tag estimators):
    driver: str | None = None  # "increase-revenue" | "decrease-cost" | "mitigate-risk" | "emotional-need"
    driver_confidence: float | None = None
    discipline: str | None = None  # "operational" | "performance" | "intimacy"
    discipline_confidence: float | None = None
    speakers: list[str] = field(default_factory=list)  # who gave the answer; ``speaker`` names them all in one string
    asked_by: list[str] = field(default_factory=list)  # who asked ``question`` (empty when nobody asked, and in older results)


@dataclass
class Chain:
    """A root question and the probes under it: ``answers`` are indices into
    ``Result.answers``, ``terminal`` the index of its terminal why (None: the chain never
    reached an outcome), ``summary`` "<what they buy> → <terminal outcome>"."""

    answers: list[int]  # indices into Result.answers, in order
    terminal: int | None  # index into Result.answers; None when the chain never reaches an outcome
    summary: str  # "<what they buy> → <terminal outcome>"


@dataclass
class Result:
    """One transcript, classified. ``error`` is set (and the rest empty) when it could not be read."""

    source: str
    answers: list[Answer] = field(default_factory=list)
    chains: list[Chain] = field(default_factory=list)
    interviewer: str | None = None  # the interviewer named first (interviewer=, --interviewer, front matter), else the one who asks most
    metadata: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    interviewers: list[str] = field(default_factory=list)  # everyone who asks, ``interviewer`` first

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
        """A result back from :meth:`to_dict` (a line of ``motive classify``'s JSONL); unknown keys are ignored.

        >>> result = Result("a.txt", chains=[Chain([0], None, "x")], notes=["n"])
        >>> Result.from_dict(result.to_dict()) == result
        True
        """
        answer_keys, chain_keys = set(Answer.__dataclass_fields__), set(Chain.__dataclass_fields__)
        fields = {k: v for k, v in record.items() if k in cls.__dataclass_fields__}
        fields["answers"] = [_answer({k: v for k, v in a.items() if k in answer_keys}) for a in record.get("answers", [])]
        fields["chains"] = [Chain(**{k: v for k, v in c.items() if k in chain_keys}) for c in record.get("chains", [])]
        if "interviewers" not in record and record.get("interviewer"):  # written before group interviews
            fields["interviewers"] = [record["interviewer"]]
        return cls(**fields)


def _answer(fields: dict) -> Answer:
    """An answer back from its JSON; one written before ``speakers`` existed is its ``speaker``'s."""
    if "speakers" not in fields and fields.get("speaker"):
        fields["speakers"] = [fields["speaker"]]
    return Answer(**fields)
