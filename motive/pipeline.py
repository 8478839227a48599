"""The whole shape, in order: transcript → turns → roles → exchanges → chains →
sentences → embeddings → labels → terminal whys → :class:`~motive.results.Result`.

With a reader (:mod:`motive.reader`), questions and answers are also read whole,
with their neighbours, wherever the classifiers are unsure of them: the reader's
probabilities join the classifiers' for question kinds (before the chains are
drawn) and for answer labels.

Files are classified in groups so that sentences from many files are embedded
(and exchanges read) in one batch; every step after that looks at one transcript
at a time, so a transcript gets the same result inside a folder as alone.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np

from motive.chains import Exchange, assign_chains, chain_members, pair_exchanges
from motive.errors import MotiveError, TranscriptError
from motive.features import AnswerContext, chain_contexts, mean_vector, question_rows, question_vectors, terminal_features
from motive.language import language_note, other_language
from motive.model import EmbeddingCache, MotiveModel, blend, default_model_path, load_model, most_likely_kinds
from motive.results import NOT_CLASSIFIED, Answer, Chain, Result
from motive.roles import find_interviewers, interviewers_named, is_question
from motive.summary import asked, chosen_part, summarize, thing_bought, what_they_buy
from motive.transcripts import DEFAULT_MAX_BYTES, Transcript, file_identity, find_transcripts, read_file, read_text

#: Transcripts whose sentences are embedded together.
GROUP_SIZE = 128

#: Each model folder's model, loaded once per process (per device and precision), with the time its config was written.
_loaded_models: dict[tuple, tuple[int | None, MotiveModel]] = {}
_loading = threading.Lock()


def default_model(*, device: str = "auto", precision: str = "auto") -> MotiveModel:
    """The default model (``MOTIVE_MODEL``, else ``models/default``), loaded once per process per
    device and precision, and again when it has been trained again (see :func:`model_from`)."""
    return model_from(None, device=device, precision=precision)


def model_from(model: MotiveModel | str | Path | None, *, device: str = "auto", precision: str = "auto") -> MotiveModel:
    """The model to classify with: ``model`` itself, or a model folder's (``None``: the default
    model's), loaded once per process until the folder is trained again; only the newest is kept."""
    if model is not None and not isinstance(model, (str, os.PathLike)):
        if not hasattr(model, "embedder"):
            raise TypeError(f"model= takes a loaded model (motive.load_model()) or a model folder, not {type(model).__name__}")
        return model
    folder = default_model_path() if model is None else Path(model)
    config = folder / "config.json"
    key = (os.path.realpath(folder), device, precision)
    with _loading:
        written = config.stat().st_mtime_ns if config.is_file() else None
        held = _loaded_models.get(key) or _loaded_alike(key, written)
        if held is None or held[0] != written:
            _loaded_models.pop(key, None)  # the older model goes before the newer one loads
            held = (written, load_model(None if model is None else folder, device=device, precision=precision))
        _loaded_models[key] = held
        return held[1]


def _loaded_alike(key: tuple, written: int | None) -> tuple | None:
    """A model of the same folder already loaded with settings that come to the same as ``key``'s
    (``device="cpu"`` where ``auto`` found no GPU, ``bf16`` where ``auto`` chose it), so that
    asking in other words does not load a second copy."""
    folder, device, precision = key
    for (held_folder, _, _), held in _loaded_models.items():
        embedder = held[1].embedder
        if held_folder != folder or held[0] != written or getattr(embedder, "_model", None) is None:
            continue  # another folder or version, or not loaded far enough to know its settings
        import torch

        from motive.embed import cpu_has_native_bf16, resolve_device, resolve_precision

        try:
            settled = resolve_device(device, torch.cuda.is_available())
            wanted = (settled, resolve_precision(precision, device=settled, native_bf16=cpu_has_native_bf16(), model=embedder.name))
        except (ValueError, MotiveError):
            return None  # loading says what is wrong
        if (embedder.device, embedder.precision) == wanted:
            return held
    return None


def classify(
    transcript: str | Path,
    *,
    model: MotiveModel | str | Path | None = None,
    interviewer: Interviewers = None,
    device: str = "auto",
    precision: str = "auto",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Result:
    """Classify one transcript: a ``str`` is transcript text, a ``Path`` is a file.

    ``model`` is a loaded model or a model folder; without it, the default model runs on
    ``device`` at ``precision`` (see :func:`~motive.model.load_model`). ``interviewer``
    names who asks (a speaker label, or a list of them) when motive should not work it
    out. ``max_bytes``: a larger file is refused, as :func:`classify_many` skips it.
    Raises :class:`~motive.errors.TranscriptError` when the text holds no interview.
    """
    _check_interviewer(interviewer)
    if isinstance(transcript, os.PathLike):
        parsed = read_file(Path(transcript), max_bytes=max_bytes)
    elif isinstance(transcript, str):
        try:
            parsed = read_text(transcript)
        except TranscriptError as error:
            if "\n" not in transcript and Path(transcript.strip()).is_file():
                raise TranscriptError(error.source, f"{error.problem} (a str is transcript text: for the file, pass Path({transcript.strip()!r}))") from None
            raise
    elif isinstance(transcript, (bytes, bytearray)):
        raise TypeError("classify() takes a str (transcript text) or a Path, not bytes: decode them first "
                        "(motive.transcripts.decode(data, name) detects the encoding as motive does for files)")
    else:
        raise TypeError(f"classify() takes a str (transcript text) or a Path, not {type(transcript).__name__}")
    return annotate([parsed], model_from(model, device=device, precision=precision), interviewer=interviewer)[0]


def classify_many(
    paths: Iterable[Path | str] | Path | str,
    *,
    model: MotiveModel | str | Path | None = None,
    interviewer: Interviewers = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_read: Callable[[Path], None] | None = None,
    device: str = "auto",
    precision: str = "auto",
    on_stage: Callable[[str], None] | None = None,
) -> Iterator[Result]:
    """Classify files one by one, streaming; embeddings are batched across files.

    ``paths``: files and folders (walked as the command line walks them), or one of
    them. A file that cannot be read, or a folder that holds no transcripts, yields a
    :class:`Result` whose ``error`` says why; the other files go on. Results come in
    the order the files are met, one per file: a file named twice (or also reached
    through a link or a folder) is classified once, so match results to files by
    ``result.source`` rather than by position. ``model`` is a loaded model or a model
    folder; ``interviewer`` names who asks in every file (see :func:`classify`);
    ``max_bytes`` skips larger files; ``on_read`` is called with each path once it is read, and
    ``on_stage`` with what a group of files is going through (``sentences``, ``embedding``,
    ``chains``, ``labels``, ``summaries``), for a progress display;
    ``device`` and ``precision`` choose how the default model runs when none is given.
    """
    _check_interviewer(interviewer)
    if isinstance(paths, (bytes, bytearray)):
        raise TypeError("classify_many() takes paths (files and folders, str or Path), or an iterable of them, not bytes")
    model = model_from(model, device=device, precision=precision)
    iterator = transcript_paths([paths] if isinstance(paths, (str, os.PathLike)) else paths)
    while group := list(islice(iterator, GROUP_SIZE)):
        parsed: list[_Interview | Result] = []
        for path in group:
            try:
                if isinstance(path, str):
                    raise TranscriptError(TRANSCRIPT_TEXT, "is transcript text, not a path: classify it with motive.classify(text)")
                # a named interviewer who never speaks skips this file alone
                parsed.append(_interview(read_file(path, max_bytes=max_bytes), interviewer))
            except TranscriptError as error:
                parsed.append(Result(TRANSCRIPT_TEXT if isinstance(path, str) else str(path), error=error.problem))
            if on_read:
                on_read(path)
        done = iter(_annotate_apart_on_failure([p for p in parsed if isinstance(p, _Interview)], model, on_stage or (lambda stage: None)))
        for item in parsed:
            yield next(done) if isinstance(item, _Interview) else item


def _annotate_apart_on_failure(interviews: list[_Interview], model: MotiveModel, on_stage: Callable[[str], None]) -> list[Result]:
    """The group's results. Should classifying the group fail on something no check foresaw, each
    interview is classified alone: one that fails again is a skipped result naming the failure
    (:data:`~motive.results.NOT_CLASSIFIED`), and the rest of the group keeps its results. When
    every one fails alone, the model or the device is at fault: the error stops the run."""
    try:
        return _annotate(interviews, model, on_stage)
    except Exception:
        if len(interviews) == 1:
            raise  # one file alone cannot tell a broken file from a broken model or device
    results, failures = [], []
    for interview in interviews:
        try:
            results.append(_annotate([interview], model, on_stage)[0])
        except Exception as error:  # noqa: BLE001 (named in the result of the interview that causes it)
            failures.append(error)
            results.append(Result(interview.transcript.source, error=f"{NOT_CLASSIFIED} ({type(error).__name__}: {str(error)[:200]})"))
    if len(failures) == len(interviews):
        raise failures[0]  # every file fails alone: the model or the device does, and the run stops
    return results


#: The source named for transcript text (never the text itself), as :func:`~motive.transcripts.read_text` names it.
TRANSCRIPT_TEXT = "<text>"


def transcript_paths(paths: Iterable[Path | str]) -> Iterator[Path | str]:
    """Each path, a folder replaced by the transcripts in it, as the command line walks them
    (:func:`~motive.transcripts.find_transcripts`), and each file once, where it is first met; a
    ``str`` that holds a line break is transcript text, passed on as it is (but a path read
    from a file of paths may end in one)."""
    seen: set[object] = set()
    for path in paths:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"classify_many() takes paths (str or Path) or transcript text, not {type(path).__name__}: {path!r:.60}")
        if isinstance(path, str) and "\n" in path.rstrip("\r\n"):
            yield path
            continue
        if isinstance(path, str) and not path.strip():
            continue  # a blank line of a file of paths: Path("") would be the working folder
        path = Path(path.rstrip("\r\n") if isinstance(path, str) else path)
        for each in find_transcripts([path]):
            if (identity := file_identity(each)) not in seen:
                seen.add(identity)
                yield each


#: ``interviewer=`` of the API: one speaker label, or the labels of everyone who asks.
Interviewers = str | Sequence[str] | None


def _check_interviewer(interviewer: Interviewers) -> None:
    if interviewer is None or isinstance(interviewer, str):
        return
    if not isinstance(interviewer, Iterable) or isinstance(interviewer, bytes) or not all(isinstance(name, str) for name in interviewer):
        raise TypeError(f"interviewer= takes a speaker label (str) or a list of them, not {type(interviewer).__name__}")


def check_interviewers(transcript: Transcript, interviewers: list[str], in_front_matter: bool = False) -> None:
    """Refuse a transcript in which a named interviewer never speaks, or in which nobody is left to answer."""
    speakers = {turn.speaker for turn in transcript.turns}
    for name in interviewers:
        if name not in speakers:
            listed = ", ".join(repr(s) for s in sorted(speakers)[:8]) + (", …" if len(speakers) > 8 else "")
            several = _starting_with(name, speakers)
            raise TranscriptError(transcript.source, f"no speaker is labelled {name!r}"
                                                     + (" (the interviewer its front matter names)" if in_front_matter else "")
                                                     + (f"; {', '.join(map(repr, several))} start with it: name one" if len(several) > 1
                                                        else f"; its speakers are {listed}"))
    if speakers <= set(interviewers):
        raise TranscriptError(transcript.source, "every speaker is named as an interviewer"
                                                 + (" in its front matter" if in_front_matter else "") + ": nobody answers")


def interviewers_of(transcript: Transcript, interviewer: Interviewers = None) -> list[str]:
    """Who asks: the labels ``interviewer`` names (one or several, in their order; "Dana, Sam" is
    two), else those the ``interviewer:`` of the file's front matter names, else the speakers
    :func:`~motive.roles.find_interviewers` works out, the one who asks most first."""
    speakers = {turn.speaker for turn in transcript.turns}
    given = [interviewer] if isinstance(interviewer, str) else list(interviewer or ())
    if named := list(dict.fromkeys(_as_labelled(name, speakers) for entry in given for name in interviewers_named(entry, speakers))):
        check_interviewers(transcript, named)
        return named
    if named := list(dict.fromkeys(_as_labelled(name, speakers) for name in interviewers_named(transcript.metadata.get("interviewer", ""), speakers))):
        check_interviewers(transcript, named, in_front_matter=True)
        return named
    return find_interviewers(transcript.turns)  # also where the front matter's "interviewer: ," names nobody


def _as_labelled(name: str, speakers: set[str]) -> str:
    """A speaker's label as the transcript writes it, for a name given in another case ("me" for "Me"):
    labels that differ only in case are one speaker; a first name given for the one speaker whose
    full name starts with it ("Priya" for "Priya Nair", as tools label people) is that speaker.

    >>> _as_labelled("me", {"Me", "Sam"}), _as_labelled("Dana", {"Me", "Sam"}), _as_labelled("priya", {"Priya Nair", "Sam"})
    ('Me', 'Dana', 'Priya Nair')
    >>> _as_labelled("Priya", {"Priya Nair", "Priya Shah"})  # two of them: neither
    'Priya'
    """
    if name in speakers:
        return name
    if same := next((speaker for speaker in sorted(speakers) if speaker.casefold() == name.casefold()), None):
        return same
    starting = _starting_with(name, speakers)
    return starting[0] if len(starting) == 1 else name


def _starting_with(name: str, speakers: set[str]) -> list[str]:
    """The speakers whose labels start with the first name ``name`` (one label per spelling of a name)."""
    found: dict[str, str] = {}
    for speaker in sorted(speakers):
        if speaker.casefold().startswith(name.casefold() + " "):
            found.setdefault(speaker.casefold(), speaker)
    return list(found.values())


def unnamed_interviewers(transcript: Transcript, interviewers: list[str]) -> list[str]:
    """Speakers who ask as interviewers do (:func:`~motive.roles.find_interviewers`) although the
    named ``interviewers`` leave them out: their questions will be read as answers. Only among
    three or more speakers; with two, naming one says who answers."""
    if len({turn.speaker for turn in transcript.turns}) < 3:
        return []
    return [s for s in find_interviewers(transcript.turns) if s not in interviewers]


def _unnamed_note(missed: list[str], interviewers: list[str]) -> str:
    names = ", ".join(repr(s) for s in missed)
    every = " ".join(f"--interviewer {s!r}" for s in [*interviewers, *missed])
    return (f"{names} asks like an interviewer but is not named as one, so their questions are read as answers "
            f"(name every interviewer: {every}, or all of them in the front matter's 'interviewer:')")


@dataclass
class _Interview:
    """One transcript on its way through the pipeline; each stage fills in the next fields."""

    transcript: Transcript
    interviewers: list[str]
    exchanges: list[Exchange]
    notes: list[str] | None = None
    sentences: list[list[str]] | None = None
    questions: list[str | None] | None = None
    kind_questions: list[str | None] | None = None  # the questions as the model reads them to tell their kinds
    kind_proba: np.ndarray | None = None  # per answer: the kinds of the question it replies to (QUESTION_KINDS columns)
    kinds: list[str | None] | None = None
    chain_of: list[int | None] | None = None
    contexts: list[AnswerContext] | None = None
    matrix: np.ndarray | None = None  # the answers' feature rows
    label_proba: np.ndarray | None = None  # per answer, columns in model.classes_ order
    sentence_proba: np.ndarray | None = None  # each sentence of a longer answer read alone, for the evidence

    @property
    def answers(self) -> list[str]:
        return [e.answer.text for e in self.exchanges]


def annotate(transcripts: list[Transcript], model: MotiveModel, *, interviewer: Interviewers = None) -> list[Result]:
    """Classify parsed transcripts together (one embedding batch, one reading batch per part of
    the reader, one parsing batch for the chain summaries), one result each."""
    return _annotate([_interview(transcript, interviewer) for transcript in transcripts], model)


def _interview(transcript: Transcript, interviewer: Interviewers) -> _Interview:
    """Who asks in ``transcript``, and its questions paired with their answers."""
    who = interviewers_of(transcript, interviewer)
    exchanges = pair_exchanges(transcript.turns, who)
    missed = unnamed_interviewers(transcript, who) if interviewer or transcript.metadata.get("interviewer") else []
    return _Interview(transcript, who, exchanges, notes=[_unnamed_note(missed, who)] if missed else [],
                      questions=[e.question.text if e.question else None for e in exchanges])


def _annotate(interviews: list[_Interview], model: MotiveModel, on_stage: Callable[[str], None] = lambda stage: None) -> list[Result]:
    # Sentences of every answer, then one embedding batch for all texts of the group.
    on_stage("sentences")
    texts = [text for i in interviews for text in i.answers]
    split = iter(model.segmenter.sentences(texts)) if texts else iter(())
    for interview in interviews:
        interview.sentences = [next(split) for _ in interview.exchanges]
    on_stage("embedding")
    vectors = EmbeddingCache(model.embedder)
    # Questions as asked (the answers' context) and as the model reads them to tell their kinds.
    for interview in interviews:
        interview.kind_questions = [model.kind_reading(q) for q in interview.questions]
    questions = [q for i in interviews for q in (*i.questions, *i.kind_questions) if q]
    vectors.add([s for i in interviews for answer in i.sentences for s in answer] + questions)

    on_stage("chains")
    for interview in interviews:
        _question_kinds(interview, model, vectors)
    _read(model, interviews, "questions")
    on_stage("labels")
    for interview in interviews:
        _answer_labels(interview, model, vectors)
    _read(model, interviews, "answers")
    on_stage("summaries")
    results = [_result(interview, model, vectors) for interview in interviews]
    _summarize_chains(model.segmenter, results)
    return results


def _question_kinds(interview: _Interview, model: MotiveModel, vectors: EmbeddingCache) -> None:
    if interview.exchanges:
        rows = question_rows(interview.kind_questions, interview.sentences, vectors, model.embedder.dimension)
        interview.kind_proba = model.question_proba(rows)
        if interview.kind_proba is None:
            interview.kinds = model.question_kinds(rows)


def _read(model: MotiveModel, interviews: list[_Interview], task: str) -> None:
    """Average the reader's probabilities into the classifiers' (``task``: ``questions``, the
    question kinds, or ``answers``, the labels) wherever the reader reads (see
    :meth:`~motive.reader.Reader.reads`), in one batch for the group."""
    from motive.reader import answer_pairs, question_pairs

    if model.reader is None:
        return
    pairs_of = question_pairs if task == "questions" else answer_pairs
    places, pairs = [], []
    for interview in interviews:
        proba = interview.kind_proba if task == "questions" else interview.label_proba
        if proba is None:
            continue
        questions = interview.kind_questions if task == "questions" else interview.questions
        for k, (pair, read) in enumerate(zip(pairs_of(interview.answers, questions), model.reader.reads(proba))):
            if pair is not None and read:
                places.append((proba, k))
                pairs.append(pair)
    for (proba, k), row in zip(places, model.reader.predict(task, pairs)):
        proba[k] = blend(proba[k], row)


def _answer_labels(interview: _Interview, model: MotiveModel, vectors: EmbeddingCache) -> None:
    """Chains from the question kinds, then the answers' label probabilities in their chain contexts."""
    if not interview.exchanges:
        return
    if interview.kind_proba is not None:
        interview.kinds = most_likely_kinds(interview.kind_proba)
    interview.kinds = [k if q is not None else None for k, q in zip(interview.kinds, interview.questions)]
    interview.chain_of = assign_chains(interview.kinds)
    contexts = chain_contexts(interview.answers, interview.sentences, interview.questions, interview.chain_of)
    # The answers and, for the evidence, each sentence of a longer answer alone in its context: one prediction.
    rows = model.answer_matrix(contexts + _sentences_alone(contexts), vectors)
    predicted = model.answer_proba(rows)
    interview.contexts, interview.matrix = contexts, rows[: len(contexts)]
    interview.label_proba, interview.sentence_proba = predicted[: len(contexts)], predicted[len(contexts) :]


def _result(interview: _Interview, model: MotiveModel, vectors: EmbeddingCache) -> Result:
    exchanges, sentences = interview.exchanges, interview.sentences
    result = Result(interview.transcript.source, interviewer=interview.interviewers[0], interviewers=list(interview.interviewers),
                    metadata=dict(interview.transcript.metadata), notes=list(interview.notes or ()), model=model.identity())
    if not exchanges:
        result.notes.append("the respondent never answers: no answers to classify")
        return result
    if not any(q and is_question(q) for q in interview.questions):
        result.notes.append("the interviewer asks no questions: chains are guessed from the turn order")
    if language := other_language([e.answer.text for e in exchanges]):
        result.notes.append(language_note(language))

    contexts, proba, chain_of = interview.contexts, interview.label_proba, interview.chain_of
    labels = [str(model.classes_[row.argmax()]) for row in proba]
    tags = _outcome_tags(model, interview.matrix, labels)
    evidence = _evidence(list(model.classes_), contexts, labels, interview.sentence_proba)

    for e, c, s, label, row, chain, kind, ev in zip(exchanges, contexts, sentences, labels, proba, chain_of, interview.kinds, evidence):
        result.answers.append(
            Answer(
                text=e.answer.text,
                question=c.question,
                speaker=e.answer.speaker,
                label=label,
                confidence=round(float(row.max()), 4),
                chain=chain,
                sentences=list(s),
                evidence=ev,
                question_kind=kind,
                probabilities={str(k): round(float(p), 4) for k, p in zip(model.classes_, row)},
                line=e.answer.line,
                start=e.answer.start,
                end=e.answer.end,
                speakers=list(e.speakers),
                asked_by=list(e.askers),
                **tags.get(len(result.answers), {}),
            )
        )

    # Terminal why per chain; the summaries are written for the whole group (_summarize_chains).
    dimension = model.embedder.dimension
    means = np.stack([mean_vector(s, vectors, dimension) for s in sentences])
    asked = question_vectors([c.question for c in contexts], vectors, dimension)
    words = [len(e.answer.text.split()) for e in exchanges]
    p_outcome = proba[:, list(model.classes_).index("outcome")]
    chains = chain_members(chain_of)
    for members, terminal in zip(chains, _terminal_whys(model, chains, labels, p_outcome, means, words, asked)):
        result.chains.append(Chain(members, terminal, summary=""))  # summarised with the whole group
    return result


def _summarize_chains(segmenter, results: list[Result]) -> None:
    """Each chain's summary: what the chain is about (:func:`_chain_subjects`) → its terminal why."""
    chains = [(result, chain) for result in results for chain in result.chains]
    subjects = _chain_subjects(segmenter, [result.answers[chain.answers[0]] for result, chain in chains],
                               [_asked_before(result.answers, chain.answers[0]) for result, chain in chains])
    for (result, chain), what in zip(chains, subjects):
        chain.summary = summarize(what, result.answers[chain.terminal].evidence if chain.terminal is not None else None)


#: How many of the questions asked before a chain are looked at for what it is about, when its own names nothing.
QUESTIONS_LOOKED_BACK = 5


def _asked_before(answers: list[Answer], first: int) -> list[str]:
    """The questions that opened a chain or stood aside before answer ``first``, the latest first
    (at most :data:`QUESTIONS_LOOKED_BACK`): a probe asks about what the answer before it said."""
    asked_here = [a.question for a in answers[:first] if a.question and a.question_kind in ("root", "aside")]
    return list(dict.fromkeys(reversed(asked_here)))[:QUESTIONS_LOOKED_BACK]


def _chain_subjects(segmenter, openings: list[Answer], earlier: list[list[str]] | None = None) -> list[str]:
    """What each chain is about, from its first answer (see :func:`~motive.summary.what_they_buy`).

    The parser reads the asking sentences of the distinct questions of all the chains given in one
    batch, each without the alternative it goes on to name (:func:`~motive.summary.chosen_part`),
    then the whole of those questions whose asking sentence names nothing bought; for the chains
    whose question names nothing ("Anything else?", "So why did you want one?"), the questions asked
    before it in its interview (``earlier``, the latest first), and the latest that names something
    bought says what; else the chain's first sentence.
    """
    def named_in(questions: list[str]) -> dict[str, str | None]:
        distinct = list(dict.fromkeys(questions))
        return dict(zip(distinct, map(thing_bought, segmenter.noun_chunks_many([chosen_part(q) for q in distinct]))))

    # The sentence that asks first ("…sixty clients. Why Tallybook?"), then the whole question ("You bought the add-on. Why?").
    named = named_in([asked(a.question) for a in openings if a.question])
    named_whole = named_in([a.question for a in openings if a.question and named[asked(a.question)] is None and asked(a.question) != a.question])
    subjects = [named[asked(a.question)] or named_whole.get(a.question) if a.question else None for a in openings]
    earlier = earlier or [[] for _ in openings]
    before = named_in([asked(q) for i, subject in enumerate(subjects) if subject is None for q in earlier[i]])
    for i, subject in enumerate(subjects):
        if subject is None:
            subjects[i] = next(filter(None, (before[asked(q)] for q in earlier[i])), None)
    unnamed = [i for i, subject in enumerate(subjects) if subject is None]
    said = segmenter.noun_chunks_many([openings[i].sentences[0] for i in unnamed])
    for i, chunks in zip(unnamed, said):
        subjects[i] = what_they_buy([], chunks, openings[i].sentences[0])  # no question named anything bought
    return subjects


def _terminal_whys(
    model: MotiveModel,
    chains: list[list[int]],
    labels: list[str],
    p_outcome: np.ndarray,
    means: np.ndarray,
    words: list[int],
    asked: np.ndarray,
) -> list[int | None]:
    """Each chain's terminal why (an answer index), or None for a chain without an outcome answer.

    The candidates of all chains of one transcript are scored in one batch.
    """
    candidates = [[i for i in members if labels[i] == "outcome"] for members in chains]
    rows = [terminal_features(members, found, p_outcome, means, words, asked) for members, found in zip(chains, candidates) if found]
    scores = iter(model.terminal_scores(np.vstack(rows)) if rows else ())
    terminals: list[int | None] = []
    for found in candidates:
        chain_scores = [next(scores) for _ in found]
        terminals.append(found[int(np.argmax(chain_scores))] if found else None)
    return terminals


def _outcome_tags(model: MotiveModel, matrix: np.ndarray, labels: list[str]) -> dict[int, dict]:
    """Answer index → driver/discipline fields, for the outcome answers (tags apply to outcomes only)."""
    from motive.tags import predict_tags

    outcomes = [i for i, label in enumerate(labels) if label == "outcome"]
    if not outcomes or not model.tags:
        return {}
    predicted = predict_tags(model.tags, matrix[outcomes])
    fields: dict[int, dict] = {i: {} for i in outcomes}
    for name, values in predicted.items():
        for i, (value, probability) in zip(outcomes, values):
            fields[i].update({name: value, f"{name}_confidence": probability})
    return fields


def _sentences_alone(contexts: list[AnswerContext]) -> list[AnswerContext]:
    """Each sentence of every answer of more than one sentence, read alone in that answer's context."""
    return [c.sentence(s) for c in contexts if len(c.parts) > 1 for s in c.parts]


def _evidence(classes: list[str], contexts: list[AnswerContext], labels: list[str], single_proba: np.ndarray) -> list[str]:
    """For each answer, the sentence that, read alone in the same context, most carries its label.

    ``single_proba`` holds the label probabilities of :func:`_sentences_alone` of ``contexts``, in order.
    """
    start, chosen = 0, []
    for context, label in zip(contexts, labels):
        parts = context.parts
        if len(parts) == 1:
            chosen.append(parts[0])
            continue
        column = single_proba[start : start + len(parts), classes.index(label)]
        chosen.append(parts[int(np.argmax(column))])
        start += len(parts)
    return chosen
