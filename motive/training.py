"""Labelled interviews (and plain ``text,label`` tables) → a fitted :class:`MotiveModel`."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from motive.corpus import GoldInterview
from motive.embed import Embedder
from motive.features import (
    AnswerContext,
    CueQuestionKinds,
    LastOutcome,
    chain_contexts,
    mean_vector,
    own_width,
    question_rows,
    question_vectors,
    terminal_features,
)
from motive.labels import LABELS
from motive.model import ESTIMATORS, EmbeddingCache, MotiveModel, reader_files
from motive.output import counted
from motive.reader import ReaderSettings, fit_reader
from motive.tags import TAG_VALUES, fit_tags

log = logging.getLogger(__name__)


@dataclass
class TrainingSettings:
    """How the estimators are fitted."""

    C: float = 0.25  # inverse regularisation of the answer classifier
    #: Inverse regularisation of the question classifier. A question it is less sure of than the
    #: reader's threshold is read by the reader too, and more of those reads cost chain starts:
    #: with 0.5 the dev model's reader read 189 questions and found chain starts at F1 0.935, with
    #: 1.0 it read 153 and found them at 0.944 (BENCHMARKS.md).
    question_C: float = 1.0
    #: Inverse regularisation of the terminal-why classifier, which ranks each chain's outcome
    #: answers (:func:`ranking_pairs`). On 7 cross-validation folds 1 / 3 / 10 / 30 gave terminal
    #: whys 0.737 / 0.740 / 0.736 / 0.731 (BENCHMARKS.md).
    terminal_C: float = 3.0
    folds: int = 5  # calibration folds
    calibration: str = "sigmoid"
    seed: int = 0

    def __post_init__(self):
        if min(self.C, self.question_C, self.terminal_C) <= 0:
            raise ValueError(f"C={self.C}, question_C={self.question_C}, terminal_C={self.terminal_C}: each must be > 0")
        if self.folds < 2:
            raise ValueError(f"folds={self.folds}: calibration needs at least 2 folds")
        if self.calibration not in ("sigmoid", "isotonic"):
            raise ValueError(f"calibration={self.calibration!r}; expected 'sigmoid' or 'isotonic'")


def interview_contexts(interview: GoldInterview, sentences: list[list[str]]) -> list[AnswerContext]:
    """Each gold answer in its gold context (question, previous and next answer of its chain, depth)."""
    questions = [a.question for a in interview.answers]
    return chain_contexts([a.text for a in interview.answers], sentences, questions, interview.chain_of)


def ranking_pairs(chains: Sequence[np.ndarray], terminal: Sequence[Sequence[bool]]) -> tuple[np.ndarray, np.ndarray]:
    """What the terminal-why classifier learns from: in each chain, the gold terminal why ranked
    above each other outcome answer of the chain.

    ``chains`` holds one block of :func:`~motive.features.terminal_features` rows per chain (its
    outcome answers), ``terminal`` the gold flags of each block's rows. Each pair gives two rows,
    the terminal's row minus the other's (True) and the other way round (False): a linear score
    fitted to them ranks the candidates of a chain against each other, which is the choice the
    pipeline makes, instead of judging each candidate against those of every chain. A chain with
    a single outcome answer has nothing to rank.

    >>> rows, better = ranking_pairs([np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([[5.0, 5.0]])], [[True, False], [True]])
    >>> rows.tolist(), better.tolist()
    ([[1.0, -2.0], [-1.0, 2.0]], [True, False])
    """
    rows: list[np.ndarray] = []
    for block, flags in zip(chains, terminal):
        for best in (row for row, flag in zip(block, flags) if flag):
            for other in (row for row, flag in zip(block, flags) if not flag):
                rows += [best - other, other - best]
    if not rows:
        return np.empty((0, 0), dtype=np.float32), np.empty(0, dtype=bool)
    return np.vstack(rows), np.tile([True, False], len(rows) // 2)


def fit_terminal(chains: Sequence[np.ndarray], terminal: Sequence[Sequence[bool]], settings: TrainingSettings):
    """The terminal-why classifier: a logistic regression over :func:`ranking_pairs`, or the
    last-outcome rule when no chain has two outcome answers to choose between.

    It has no intercept: a score that ranks the candidates of a chain needs none, and its
    probability still rises with the score, so the chain's best candidate is the same either way.
    """
    from sklearn.linear_model import LogisticRegression

    differences, better = ranking_pairs(chains, terminal)
    if not len(differences):
        return LastOutcome()
    ranker = LogisticRegression(C=settings.terminal_C, fit_intercept=False, max_iter=5000, random_state=settings.seed)
    return ranker.fit(differences, better)


def corpus_hash(paths: Sequence[Path]) -> str:
    """sha256 over the training files' names and bytes, in a stable order."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _answer_estimator(settings: TrainingSettings):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    base = LogisticRegression(C=settings.C, max_iter=3000, class_weight="balanced", random_state=settings.seed)
    return CalibratedClassifierCV(base, method=settings.calibration, cv=settings.folds)


def train(
    interviews: Sequence[GoldInterview] = (),
    tables: Sequence[tuple[str, str]] = (),
    *,
    embedder: Embedder | None = None,
    segmenter=None,
    settings: TrainingSettings | None = None,
    reader: ReaderSettings | None = None,
    reader_cache: Path | None = None,
    progress=None,
) -> MotiveModel:
    """Fit the answer, question and terminal estimators, and with ``reader`` settings the reader.

    ``interviews``: annotated interviews (:func:`motive.read_interviews`); ``tables``:
    ``(text, label)`` pairs. The embedder defaults to the bundled all-MiniLM-L6-v2, the
    segmenter to spaCy's (:class:`~motive.segment.Segmenter`).

    Every answer is learned twice: in its interview context, and alone (as
    ``model.predict(["text"])`` sees it). Question kinds and terminal whys are
    learned from annotated interviews; without any, simple rules stand in.
    The reader (:mod:`motive.reader`) is fine-tuned on the annotated interviews;
    ``progress(done, total)`` follows its batches. With a ``reader_cache`` folder, a fine-tune
    already made there from the same examples and settings is read instead of run again
    (:func:`~motive.reader.fit_reader`). Stages are logged (logger ``motive.training``).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict

    settings = settings or TrainingSettings()
    interviews, tables = list(interviews), training_rows(tables)
    if not all(isinstance(i, GoldInterview) for i in interviews):
        raise TypeError("train() takes annotated interviews as read by motive.read_interviews(paths), not paths or text")
    if not interviews and not tables:
        raise ValueError("nothing to train on: give annotated interviews or text,label rows")
    if reader is not None and not interviews:
        raise ValueError("the reader learns from annotated interviews, and the training data has none: train without it")
    gold = [a.label for i in interviews for a in i.answers]
    labels = np.asarray(gold + gold + [label for _, label in tables])
    check_enough_answers(gold, [label for _, label in tables], settings.folds)
    if embedder is None:
        from motive.embed import DEFAULT_EMBEDDING_MODEL, make_embedder

        embedder = make_embedder(DEFAULT_EMBEDDING_MODEL)
    if segmenter is None:
        from motive.segment import Segmenter

        segmenter = Segmenter()
    model = MotiveModel(embedder, segmenter=segmenter)
    vectors = EmbeddingCache(embedder)

    answer_texts = [a.text for i in interviews for a in i.answers] + [text for text, _ in tables]
    log.info("splitting %s into sentences", counted(len(answer_texts), "answer"))
    split = iter(segmenter.sentences(answer_texts))
    sentences = [[next(split) for _ in i.answers] for i in interviews]
    table_contexts = [AnswerContext(text, tuple(next(split))) for text, _ in tables]
    contexts = [c for i, s in zip(interviews, sentences) for c in interview_contexts(i, s)]

    log.info("embedding the sentences, questions and contexts with %s", embedder.name)
    in_context = model.answer_matrix(contexts, vectors) if contexts else np.zeros((0, 0))
    alone = model.answer_matrix([c.alone() for c in contexts] + table_contexts, vectors)
    matrix = np.vstack([in_context, alone]) if contexts else alone
    log.info("fitting the answer classifier on %s", counted(len(labels), "row"))
    model.estimators["answer"] = _answer_estimator(settings).fit(matrix, labels)

    if not interviews:
        model.estimators["question"], model.estimators["terminal"] = CueQuestionKinds(), LastOutcome()
        model.config = {"training": _training_record(interviews, tables, settings, None, segmenter)}
        return model

    log.info("fitting the question, terminal-why and value-tag classifiers")
    # Question kinds.
    rows, kinds = [], []
    vectors.add([model.kind_reading(a.question) for i in interviews for a in i.answers if a.question])
    for interview, answer_sentences in zip(interviews, sentences):
        asked = [model.kind_reading(answer.question) for answer in interview.answers]
        for answer, row in zip(interview.answers, question_rows(asked, answer_sentences, vectors, embedder.dimension)):
            if answer.question is not None:
                rows.append(row)
                kinds.append(answer.question_kind)
    if len(set(kinds)) >= 2:
        question = LogisticRegression(C=settings.question_C, max_iter=3000, class_weight="balanced", random_state=settings.seed)
        model.estimators["question"] = question.fit(np.stack(rows), kinds)
    else:  # every question of one kind: nothing to tell apart, the cue rules stand in
        log.info("every question is of one kind (%s): question kinds come from cue rules", kinds[0] if kinds else "none")
        model.estimators["question"] = CueQuestionKinds()

    # Terminal whys: outcome answers of each gold chain, scored with out-of-fold outcome probabilities.
    groups = np.asarray([n for n, i in enumerate(interviews) for _ in i.answers])
    plain = LogisticRegression(C=settings.C, max_iter=3000, class_weight="balanced", random_state=settings.seed)
    folds = min(5, len(interviews))
    if folds >= 2:
        out_of_fold = cross_val_predict(plain, in_context, np.asarray(gold), groups=groups, cv=GroupKFold(folds), method="predict_proba")
        p_outcome_all = out_of_fold[:, sorted(set(gold)).index("outcome")]
    else:
        p_outcome_all = np.asarray([float(g == "outcome") for g in gold])
    rows, targets, offset = [], [], 0
    for interview, answer_sentences in zip(interviews, sentences):
        means = np.stack([mean_vector(s, vectors, embedder.dimension) for s in answer_sentences])
        asked = question_vectors([c.question for c in interview_contexts(interview, answer_sentences)], vectors, embedder.dimension)
        words = [len(a.text.split()) for a in interview.answers]
        p_outcome = p_outcome_all[offset : offset + len(interview.answers)]
        offset += len(interview.answers)
        for members in interview.chains:
            candidates = [i for i in members if interview.answers[i].label == "outcome"]
            if len(candidates) > 0:
                rows.append(terminal_features(members, candidates, p_outcome, means, words, asked))
                targets.append([interview.answers[i].terminal for i in candidates])
    model.estimators["terminal"] = fit_terminal(rows, targets, settings)

    # Value driver and discipline of outcome answers, in context and alone (like the labels).
    tagged = {name: [getattr(a, name) for i in interviews for a in i.answers] * 2 for name in TAG_VALUES}
    own = own_width(embedder.dimension)
    model.tags = fit_tags(
        np.vstack([in_context, alone[: len(contexts)]]), tagged, columns=own, folds=settings.folds, C=settings.C, seed=settings.seed
    )
    if reader is not None:
        log.info("fine-tuning the reader on %s", counted(len(interviews), "interview"))
        model.reader = fit_reader(interviews, reader, progress=progress, cache=reader_cache)
    model.config = {"training": _training_record(interviews, tables, settings, reader, segmenter)}
    return model


def _training_record(interviews: Sequence[GoldInterview], tables: Sequence[tuple[str, str]], settings: TrainingSettings,
                     reader: ReaderSettings | None, segmenter) -> dict:
    """What :func:`train` learnt from and how: what save() writes into the model folder."""
    return {
        "labels_sha256": labelled_hash(interviews, tables),  # of the data as read (motive train hashes the files: corpus_sha256)
        "interviews": len(interviews),
        "rows": len(tables),
        "answers": sum(len(i.answers) for i in interviews) + len(tables),
        "settings": vars(settings),
        **({"reader": asdict(reader)} if reader else {}),
        "segmenter": getattr(segmenter, "name", "unknown"),
        "said": said_digests(interviews, tables),
    }


def labelled_hash(interviews: Sequence[GoldInterview], tables: Sequence[tuple[str, str]]) -> str:
    """sha256 over what labelled data says: each interview's answers and their annotations, and each row."""
    digest = hashlib.sha256()
    for interview in interviews:
        digest.update(hashlib.sha256(json.dumps([interview.id, [list(map(str, vars(a).values())) for a in interview.answers]]).encode()).digest())
    digest.update(hashlib.sha256(json.dumps([list(row) for row in tables]).encode()).digest())
    return digest.hexdigest()


def save(model: MotiveModel, folder: Path | str) -> Path:
    """Write a model that :func:`train` gave to a model folder, which ``motive classify --model``
    and :func:`~motive.model.load_model` read; returns the folder. Its card tells what it learnt
    from (figures: ``motive evaluate --model FOLDER DATA``). A model folder already there is
    replaced as ``motive train --replace`` replaces it, other files in it left alone."""
    from motive.model import save_model

    trained = model.config.get("training")
    if set(model.config) != {"training"}:  # loaded from a folder: its estimators are read for predicting only
        raise ValueError("save() writes a model that motive.train() made; a model loaded from a folder is in that folder "
                         "already (copy the folder to have it elsewhere)")
    folder = Path(folder)
    try:
        return save_model(model, folder, training=trained, metrics={},
                          card=lambda config: card_text(folder.name, config, trained["interviews"], trained["rows"], trained["answers"], None))
    finally:
        model.config = {"training": trained}  # as train() left it: it can be saved again, elsewhere


def training_rows(tables: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(text, label)`` pairs with their labels in lower case; a ``ValueError`` names the first bad one.

    >>> training_rows([("More money for me", " Outcome")])
    [('More money for me', 'outcome')]
    """
    rows = []
    for number, row in enumerate(tables):
        try:
            text, label = row
        except (TypeError, ValueError):
            raise ValueError(f"row {number}: {row!r} is not a (text, label) pair") from None
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"row {number}: the row has no text")
        label = str(label).strip().lower() if label is not None else ""
        if label not in LABELS:
            raise ValueError(f"row {number}: label {row[1]!r} is not one of {', '.join(LABELS)}")
        rows.append((text, label))
    return rows


def check_enough_answers(gold: Sequence[str], table_labels: Sequence[str], folds: int) -> None:
    """Refuse training data too small for the calibration folds. Each interview answer is
    learned twice (in context and alone), each table row once.

    >>> check_enough_answers(["output", "outcome", "none"], ["none"], 5)
    Traceback (most recent call last):
    ...
    ValueError: too little training data: each label needs at least 5 rows to calibrate the answer classifier (an interview answer counts twice, a text,label row once); output has 2, outcome 2, none 3
    """
    rows = Counter(list(gold) * 2 + list(table_labels))
    missing = [label for label in LABELS if not rows[label]]
    if missing:
        raise ValueError(f"the training data has no answer labelled {', '.join(missing)}")
    if any(rows[label] < folds for label in LABELS):
        counts = ", ".join(f"{label} {'has ' if n == 0 else ''}{rows[label]}" for n, label in enumerate(LABELS))
        raise ValueError(
            f"too little training data: each label needs at least {folds} rows to calibrate the answer classifier "
            f"(an interview answer counts twice, a text,label row once); {counts}"
        )


# --- from files to a saved model folder -------------------------------------------------------


@dataclass
class LabelledData:
    """Annotated interviews and plain rows read from files and folders."""

    interviews: list[GoldInterview]
    tables: list[tuple[str, str]]
    files: list[Path]


def read_labelled(paths: Sequence[Path], label_map: dict[str, str] | None = None) -> LabelledData:
    """Corpus files (``*.txt``) and ``text,label`` tables (``.csv``, ``.jsonl``), named or in folders."""
    from motive.corpus import CorpusError, find_labelled, id_owners, is_table, read_interview, read_table

    files = find_labelled([Path(p) for p in paths])
    table_files = [p for p in files if is_table(p)]
    corpus_files = [p for p in files if p not in table_files]
    tables = [pair for path in table_files for pair in read_table(path, label_map)]
    interviews = [read_interview(p) for p in corpus_files]
    owners = id_owners([(interview.transcript.source, interview.id) for interview in interviews])
    for interview in interviews:  # a copy ("call (1).txt") would count twice
        if owners[interview.id] != interview.transcript.source:
            raise CorpusError(interview.transcript.source, None, f"id {interview.id!r} is taken by {owners[interview.id]}")
    return LabelledData(interviews, tables, corpus_files + table_files)


def model_card(name: str, config: dict, data: LabelledData, report: dict | None) -> str:
    """MODEL_CARD.md: what the model is, what it was trained on, how well it does, how to use it safely."""
    return card_text(name, config, len(data.interviews), len(data.tables), sum(len(i.answers) for i in data.interviews) + len(data.tables), report)


def card_text(name: str, config: dict, interviews: int, rows: int, answers: int, report: dict | None) -> str:
    """The model card of :func:`model_card`, from the counts of what the model was trained on."""
    from motive.evaluation import format_report, tag_line

    lines = [
        f"# motive model: {name}",
        "",
        "Labels each answer of a why-chain interview **output**, **outcome** or **none**, finds where",
        "why chains start (root / probe / aside questions) and picks each chain's terminal why.",
        "",
        "## Inside",
        f"- Embeddings: `{config['embedding']['model']}` (weights sha256 `{config['embedding']['weights_sha256']}`)",
        *([
            "- Answer classifier: logistic regression over the answer's sentence embeddings, its question,",
            "  the previous answer of its chain, its depth in the chain, and the chain's next question and",
            "  the answer to it; calibrated probabilities.",
        ] if interviews else [
            "- Answer classifier: logistic regression over the answer's sentence embeddings, learnt from",
            "  text,label rows alone (no question or chain around them); calibrated probabilities.",
        ]),
        *_chain_lines(config.get("linear", {}).get("rules", {})),
        *([
            "- Value driver and value discipline of outcome answers: calibrated logistic",
            "  regressions over the answer classifier's features about the answer and what came before it,",
            "  trained on the corpus's `driver=`/`discipline=` tags.",
        ] if "tags" in config else []),
        *_reader_lines(config),
        "",
        "## Trained on",
        f"- {counted(interviews, 'annotated interview')} and {counted(rows, 'plain row')}: {counted(answers, 'answer')}",
        (f"- corpus sha256 `{config['training']['corpus_sha256']}`" if "corpus_sha256" in config["training"]
         else f"- sha256 of the answers and their labels `{config['training'].get('labels_sha256')}`"),
        f"- package versions: {', '.join(f'{k} {v}' for k, v in config['versions'].items())}",
        "",
        "## How well it does",
    ]
    if report:
        overlap = config["metrics"].get("trained_on", [])
        held = f"(partly training data: {also_trained_on(overlap)}; these figures are not held out)" if overlap else "(not trained on)"
        lines += [f"On {config['metrics'].get('data', 'held-out data')} {held}:", "", "```", format_report(report), "```"]
        for name, scores in config["metrics"].get("tags", {}).items():
            lines.append(f"- {tag_line(name, scores)}")
    else:
        lines.append("Not evaluated at training time: run `motive evaluate --model THIS_FOLDER DATA`.")
    lines += [
        "",
        "## Use with care",
        *_file_lines(config),
        *(["  The reader's files hold tensors only (no code); their sha256 is checked too."] if "reader" in config else []),
        "- Trained on English interviews about purchases; other languages and other kinds of",
        "  conversation are outside what it has seen.",
        "",
    ]
    return "\n".join(lines)


def _pickle_files(config: dict, plural: str, singular: str) -> str:
    """ "`estimator.joblib` and `tags.joblib` <plural>", or the first alone, "<singular>", for a model without value tags."""
    return f"`estimator.joblib` and `tags.joblib` {plural}" if "tags" in config else f"`estimator.joblib` {singular}"


def _chain_lines(rules: dict) -> list[str]:
    """The model card's lines about the question classifier and the terminal why: learned, or rules."""
    question = (
        ["- Question kinds: rules on cue words (no annotated interviews, or all their questions of one kind, to learn from)."]
        if "question" in rules else
        ["- Question classifier: logistic regression over the question's embedding, the answers before",
         "  and after it, the question before it, and cue words."]
    )
    terminal = (
        ["- Terminal why: the last outcome answer of each chain (a rule: no annotated chains to learn from)."]
        if "terminal" in rules else
        ["- Terminal why: a linear score, fitted to rank each chain's terminal why above its other",
         "  outcome answers, over each outcome answer's depth, novelty and confidence, its embedding,",
         "  its question's and the next question's of its chain."]
    )
    return question + terminal


def _file_lines(config: dict) -> list[str]:
    """The model card's lines about which files are pickles, and what loading checks."""
    arrays = set(config.get("linear", {}).get("classifiers", ()))
    pickled = [name for name in ESTIMATORS if name not in arrays]
    pickled += [f"tag.{name}" for name in config.get("tags", {}).get("values", {}) if f"tag.{name}" not in arrays]
    if not pickled:
        return [
            "- `linear.safetensors` holds every classifier's coefficients, and loading reads them from it: nothing is unpickled."
            + (" Rules are recorded by name." if config.get("linear", {}).get("rules") else ""),
            f"  {_pickle_files(config, 'hold', 'holds')} the same classifiers as scikit-learn objects, pickled; a pickle is code:",
            "  unpickle them only from sources you trust. motive checks every file's sha256 against `config.json` before reading it.",
        ]
    return [
        f"- {_pickle_files(config, 'are pickles', 'is a pickle')}, and loading unpickles {'them' if 'tags' in config else 'it'} "
        f"for {', '.join(pickled)}; a pickle is code:",
        "  load model folders only from sources you trust. motive checks their sha256 against `config.json` and the package",
        "  versions before unpickling.",
    ]


def _reader_passes(recorded: dict) -> str:
    """How many passes the card says each part of the reader made."""
    settings = ReaderSettings.from_config(recorded)
    if settings.answer_epochs == settings.question_epochs:
        return counted(settings.answer_epochs, "epoch")
    return f"{counted(settings.answer_epochs, 'epoch')} for answers, {settings.question_epochs} for questions"


def _reader_lines(config: dict) -> list[str]:
    """The model card's lines about the reader, when the model has one."""
    if "reader" not in config:
        return []
    reader = config["reader"]
    return [
        "- Reader: two copies of the same MiniLM, fine-tuned",
        "  ({passes}, learning rate {learning_rate}, batches of {batch}, word embeddings frozen).".format(
            passes=_reader_passes(reader["settings"]), **reader["settings"]),
        "  One reads an answer with its question and the next question (→ label), the other a question",
        f"  with the last {reader['context_words']} words of the answer before it and the first {reader['context_words']} of its reply (→ kind).",
        *(
            ["  The question reader also learnt from each of its inputs as automatic transcription writes it (lower case, no punctuation)."]
            if reader["settings"].get("transcribed_questions")
            else []
        ),
        "  Their probabilities are averaged with the answer and question classifiers'; `--no-reader` leaves it out.",
        *(
            [f"  It reads only the answers and questions to which the classifiers give no class a probability of {reader['read_below']} or more."]
            if reader.get("read_below", 1) < 1
            else []
        ),
        (
            "  Each is stored as the change fine-tuning made to MiniLM's weights (int8, a scale per row):"
            if "files" in reader
            else "  Both are stored whole, in half precision:"  # a folder from before the parts were saved apart
        ),
        *(f"  - `{entry['file']}`, sha256 `{entry['sha256']}`" for entry in reader_files(reader)),
    ]


def build_model(
    paths: Sequence[Path],
    output: Path,
    *,
    embedder: Embedder,
    segmenter,
    eval_paths: Sequence[Path] = (),
    settings: TrainingSettings | None = None,
    label_map: dict[str, str] | None = None,
    reader: ReaderSettings | None = None,
    reader_cache: Path | None = None,
    progress=None,
) -> tuple[MotiveModel, dict | None]:
    """Read labelled data, train (with ``reader`` settings: a reader too, see :func:`train`),
    evaluate on ``eval_paths`` (if any) and save a model folder."""
    from motive.evaluation import evaluate
    from motive.model import check_model_destination, save_model

    check_model_destination(Path(output))  # before an hour of training, not after
    settings = settings or TrainingSettings()
    data = read_labelled(paths, label_map)
    held_out = read_labelled(eval_paths, label_map) if eval_paths else None  # a mistake there stops before training too
    if held_out is not None and not held_out.interviews and not held_out.tables:
        raise ValueError(f"nothing to score in --eval {', '.join(map(str, eval_paths))}: no corpus files (*.txt) or tables (*.csv, *.tsv, *.jsonl)")
    log.info("read %s and %s from %s", counted(len(data.interviews), "annotated interview"), counted(len(data.tables), "text,label row"), counted(len(data.files), "file"))
    overlap = trained_on(held_out, data) if held_out else []
    if overlap:
        log.warning("warning: the --eval data is %s training data (%s): its figures are not held out",
                    "all" if all_trained_on(overlap, held_out) else "partly", also_trained_on(overlap))
    model = train(data.interviews, data.tables, embedder=embedder, segmenter=segmenter, settings=settings, reader=reader,
                  reader_cache=reader_cache, progress=progress)
    report = None
    metrics: dict = {}
    if held_out is not None:
        log.info("scoring on %s and %s%s", counted(len(held_out.interviews), "interview"), counted(len(held_out.tables), "row"),
                 "" if overlap else " held out")
        report = evaluate(model, held_out.interviews, held_out.tables)
        report.pop("trained_on", None)  # overlap (above) knows the files and ids too, not only the answers
        metrics = {"data": ", ".join(str(p) for p in eval_paths), **({"trained_on": overlap} if overlap else {}), **report}
    training = {  # train()'s record, and the files it came from
        "corpus_sha256": corpus_hash(data.files),
        "files": len(data.files),
        **model.config["training"],
        **({"label_map": dict(sorted(label_map.items()))} if label_map else {}),  # what the files' own labels were read as
    }
    save_model(model, output, training=training, metrics=metrics, card=lambda config: model_card(output.name, config, data, report))
    return model, report


def all_trained_on(overlap: list[str], held_out: LabelledData) -> bool:
    """Whether :func:`trained_on` found every held-out interview, or every held-out row, in the training data."""
    every_row = rows_said_line(len(held_out.tables), len(held_out.tables))
    return {str(path) for path in held_out.files} <= set(overlap) or (not held_out.interviews and overlap == [every_row])


def also_trained_on(overlap: list[str]) -> str:
    """What :func:`trained_on` found, in a few words: the first, and how many more."""
    return overlap[0] + (f" and {len(overlap) - 1} more" if len(overlap) > 1 else "")


def trained_on(held_out: LabelledData, data: LabelledData) -> list[str]:
    """The files of ``held_out`` that are in ``data`` too (the same file, an interview of the same
    id, or one most of whose answers the training data says word for word), or else how many of its
    text,label rows the training data holds, word for word."""
    files = {os.path.realpath(path) for path in data.files}
    ids = {interview.id for interview in data.interviews}
    by_file = {os.path.realpath(path): path for path in held_out.files}
    same = [str(path) for real, path in by_file.items() if real in files]
    same += [interview.transcript.source for interview in held_out.interviews
             if interview.id in ids and os.path.realpath(interview.transcript.source) not in files]
    said = set(said_digests(data.interviews, data.tables))
    same += copies_said(said, [i for i in held_out.interviews if i.transcript.source not in same])
    rows = rows_said(said, held_out.tables)
    if rows and not same:
        same.append(rows_said_line(rows, len(held_out.tables)))
    return same


def copies_said(said: set[str], interviews: Sequence[GoldInterview]) -> list[str]:
    """The sources of ``interviews`` most of whose answers training data of the :func:`said_digests`
    ``said`` says word for word: copies of its interviews, under any name and id."""
    return [interview.transcript.source for interview in interviews
            if 2 * sum(_said_before(said, a.text) for a in interview.answers) > sum(len(a.text.split()) >= SAME_ROW_WORDS for a in interview.answers)]


def rows_said(said: set[str], tables: Sequence[tuple[str, str]]) -> int:
    """How many of the text,label rows training data of the :func:`said_digests` ``said`` says word for word."""
    return sum(_said_before(said, text) for text, _ in tables)


def _said_before(said: set[str], text: str) -> bool:
    return len(text.split()) >= SAME_ROW_WORDS and said_digest(text) in said  # short answers ("Thank you.", "Yep.") recur in any corpus


def said_digest(text: str) -> str:
    """A short sha256 of what a text says: its words, case folded, however spaced."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()[:SAID_DIGITS]


def said_digests(interviews: Sequence[GoldInterview], tables: Sequence[tuple[str, str]]) -> list[str]:
    """The :func:`said_digest` of every answer and row of :data:`SAME_ROW_WORDS` words or more,
    sorted: what a model keeps of its training data (``config["training"]["said"]``), so that
    ``evaluate`` can tell data it learnt from. The texts cannot be read back from it."""
    texts = [a.text for i in interviews for a in i.answers] + [text for text, _ in tables]
    return sorted({said_digest(text) for text in texts if len(text.split()) >= SAME_ROW_WORDS})


def rows_said_line(rows: int, of: int) -> str:
    return f"{rows} of its {counted(of, 'text,label row')} say word for word what the training data says"


#: Held-out rows of this many words or more that the training data also holds count as trained on.
SAME_ROW_WORDS = 4
#: Hex digits kept of each :func:`said_digest` (40 bits): another text shares one model's 3,290 digests
#: (the default model's) about once in 330 million.
SAID_DIGITS = 10


def rescore_model(folder: Path, train_paths: Sequence[Path], eval_paths: Sequence[Path], *, read_below: float) -> tuple[MotiveModel, dict]:
    """Score a saved model again, its reader reading where the classifiers' most likely class has
    less than ``read_below``, and rewrite its config and card with the new figures.

    The trained files are not touched: this is for a change in how a model reads, not in what it learned.
    A folder from before ``linear.safetensors`` gets that file, written from its estimators.
    """
    import json

    from motive.evaluation import evaluate
    from motive.model import CARD_FILE, CONFIG_FILE, load_model, save_arrays, with_entry_after
    model = load_model(folder, device="cpu", precision="fp32", read_below=read_below)  # fp32: as it was scored when trained
    config = dict(model.config)
    if "linear" not in config:
        linear = save_arrays(model, folder)
        config = with_entry_after(config, "estimator", "linear", linear) if linear else config
    if model.reader is not None:  # the keys in the order a training run writes them, so that both give the same file
        files = {k: v for k, v in config["reader"].items() if k in ("files", "file", "sha256")}
        config["reader"] = {**model.reader.config(), **files}
    held_out = read_labelled(eval_paths)
    report = evaluate(model, held_out.interviews, held_out.tables)
    config["metrics"] = {"data": ", ".join(str(p) for p in eval_paths), **report}  # with the tags' figures last
    from motive.output import atomic_output

    card = model_card(folder.name, config, read_labelled(train_paths), report)
    for name, text in ((CARD_FILE, card), (CONFIG_FILE, json.dumps(config, indent=2) + "\n")):  # each whole or as it was
        with atomic_output(folder / name, None) as stream:
            stream.write(text)
    model.config = config
    return model, report
