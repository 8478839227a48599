"""What motive returns: one :class:`Result` per transcript, the same object the CLI writes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from motive.labels import DISCIPLINES, DRIVERS, LABELS, QUESTION_KINDS

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
    # The model that labelled it (:meth:`motive.model.MotiveModel.identity`): name, fingerprint, reader,
    # precision, device, motive's version; None for a file that could not be read, and in older results.
    model: dict | None = None

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
        """A result back from :meth:`to_dict` (a line of ``motive classify``'s JSONL); unknown keys are
        ignored. A ``ValueError`` says what is wrong with a record that no run of motive writes:
        a label not of motive's, a chain that names an answer the record does not hold.

        >>> result = Result("a.txt", answers=[Answer("Fast.", "Why?", "Sam", "output", 0.9, 0, ["Fast."], "Fast.")],
        ...                 chains=[Chain([0], None, "x")], notes=["n"])
        >>> Result.from_dict(result.to_dict()) == result
        True
        >>> Result.from_dict({**result.to_dict(), "chains": [{"answers": [0], "terminal": 3, "summary": ""}]})
        Traceback (most recent call last):
        ValueError: chain 0's terminal why is answer 3, which is not in the chain
        """
        answer_keys, chain_keys = set(Answer.__dataclass_fields__), set(Chain.__dataclass_fields__)
        fields = {k: v for k, v in record.items() if k in cls.__dataclass_fields__}
        fields["answers"] = [_answer({k: v for k, v in a.items() if k in answer_keys}) for a in record.get("answers", [])]
        fields["chains"] = [Chain(**{k: v for k, v in c.items() if k in chain_keys}) for c in record.get("chains", [])]
        if "interviewers" not in record and record.get("interviewer"):  # written before group interviews
            fields["interviewers"] = [record["interviewer"]]
        result = cls(**fields)
        if problem := _inconsistency(result):
            raise ValueError(problem)
        return result


def _inconsistency(result: Result) -> str | None:
    """What makes ``result`` one that motive never writes, or None."""
    if not isinstance(result.source, str) or not isinstance(result.metadata, dict) or not isinstance(result.notes, list):
        return "its source, metadata or notes are not of the form motive writes"
    if not isinstance(result.interviewer, (str, type(None))) or not _texts(result.interviewers):
        return f"its interviewers {result.interviewers!r:.60} are not of the form motive writes"
    if result.model is not None and not _identity_written(result.model):
        return f"its model {result.model!r:.80} is not what motive records of a model"
    for number, answer in enumerate(result.answers):
        if answer.label not in LABELS:
            return f"answer {number}'s label {answer.label!r} is not one of {', '.join(LABELS)}"
        if answer.chain is not None and not (_index(answer.chain) and 0 <= answer.chain < len(result.chains)):
            return f"answer {number} is in chain {answer.chain!r}, and there are {len(result.chains)}"
        if not (isinstance(answer.text, str) and isinstance(answer.evidence, str) and isinstance(answer.question, (str, type(None)))
                and isinstance(answer.speaker, str) and isinstance(answer.sentences, list)):
            return f"answer {number}'s text, evidence, question, speaker or sentences are not of the form motive writes"
        if answer.question_kind not in (None, *QUESTION_KINDS) or not _number(answer.confidence):
            return f"answer {number}'s question kind {answer.question_kind!r} or confidence {answer.confidence!r} is not of the form motive writes"
        if not (isinstance(answer.probabilities, dict) and set(answer.probabilities) <= set(LABELS) and all(map(_number, answer.probabilities.values()))):
            return f"answer {number}'s probabilities {answer.probabilities!r:.60} are not of the form motive writes"
        if answer.driver not in (None, *DRIVERS) or answer.discipline not in (None, *DISCIPLINES):
            return f"answer {number}'s driver {answer.driver!r} or discipline {answer.discipline!r} is not one motive gives"
        if not (_texts(answer.speakers) and _texts(answer.asked_by)):
            return f"answer {number}'s speakers or asked_by are not lists of names"
    for number, chain in enumerate(result.chains):
        if not (isinstance(chain.answers, list) and all(_index(i) and 0 <= i < len(result.answers) for i in chain.answers)):
            return f"chain {number} names answers {chain.answers!r}, and there are {len(result.answers)}"
        if chain.terminal is not None and (not _index(chain.terminal) or chain.terminal not in chain.answers):
            return f"chain {number}'s terminal why is answer {chain.terminal!r}, which is not in the chain"
        if chain.terminal is not None and result.answers[chain.terminal].label != "outcome":
            return f"chain {number}'s terminal why, answer {chain.terminal}, is labelled {result.answers[chain.terminal].label}, not outcome"
        if not isinstance(chain.summary, str):
            return f"chain {number}'s summary {chain.summary!r:.40} is not text"
    return None


def _index(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _identity_written(identity: object) -> bool:
    """Whether ``identity`` has the form of :meth:`motive.model.MotiveModel.identity`."""
    texts = ("name", "fingerprint", "precision", "device", "motive")
    return (isinstance(identity, dict) and set(identity) >= {*texts, "reader"}
            and all(isinstance(identity[key], (str, type(None))) for key in texts)
            and isinstance(identity["reader"], (bool, type(None))))


def model_described(identity: dict | None) -> str:
    """A model of ``Result.model`` in a few words: its name, the first 12 digits of its
    fingerprint, its precision, where it ran when not on the CPU, whether its reader was left
    out, and motive's version.

    >>> model_described({"name": "default", "fingerprint": "7f1870a4c0de1234", "reader": True, "precision": "bf16", "motive": "0.1.0"})
    'default (7f1870a4c0de, bf16, motive 0.1.0)'
    >>> model_described({"name": "mine", "fingerprint": None, "reader": False, "precision": "fp32", "device": "cuda"})
    'mine (not saved, fp32, on cuda, without its reader)'
    >>> model_described(None)
    'a model not recorded (results written before motive recorded it)'
    """
    if not identity:
        return "a model not recorded (results written before motive recorded it)"
    settings = [str(identity["fingerprint"])[:12] if identity.get("fingerprint") else "not saved"]
    if identity.get("precision"):
        settings.append(str(identity["precision"]))
    if identity.get("device") not in (None, "cpu"):
        settings.append(f"on {identity['device']}")
    if identity.get("reader") is False:
        settings.append("without its reader")
    if identity.get("motive"):
        settings.append(f"motive {identity['motive']}")
    return f"{identity.get('name') or 'a model'} ({', '.join(settings)})"


def model_key(identity: dict | None) -> str:
    """What tells two models of ``Result.model`` apart: everything but the folder's name."""
    return repr(sorted((k, v) for k, v in identity.items() if k != "name")) if identity else ""


def models_used(results: list[Result]) -> list[tuple[dict | None, int]]:
    """The models that labelled ``results`` (their :attr:`Result.model`), each with how many
    results it labelled, the commonest first; results of files that could not be read are not
    counted. Results of older files, which record no model, count as one more. The folder's name is
    not part of what tells two models apart: the same model files in two folders label alike (the
    name of the first met is shown)."""
    counts: dict[str, tuple[dict | None, int]] = {}
    for result in results:
        if not result.ok:
            continue
        identity = result.model
        key = model_key(identity)
        held = counts.get(key, (identity, 0))
        counts[key] = (held[0], held[1] + 1)
    return sorted(counts.values(), key=lambda item: -item[1])


def _answer(fields: dict) -> Answer:
    """An answer back from its JSON; one written before ``speakers`` existed is its ``speaker``'s."""
    if "speakers" not in fields and fields.get("speaker"):
        fields["speakers"] = [fields["speaker"]]
    return Answer(**fields)
