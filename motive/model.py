"""The trained model: three small scikit-learn estimators over sentence embeddings.

- ``answer``: output / outcome / none for an answer in its context (calibrated probabilities);
- ``question``: root / probe / aside for an interviewer question (where chains start);
- ``terminal``: which outcome answer of a chain states its deepest outcome;
- ``tags`` (optional, :mod:`motive.tags`): value driver and value discipline of outcome answers;
- ``reader`` (optional, :mod:`motive.reader`): MiniLM fine-tuned to read each exchange whole,
  whose answer-label and question-kind probabilities are averaged with the first two's.

A model folder holds ``estimator.joblib`` (the three estimators), ``tags.joblib``
(the tag estimators, when the training data had tags), ``linear.safetensors`` (the
coefficients of those estimators that are logistic regressions, plain or calibrated by
sigmoid: all of them in a model ``motive train`` makes; see :mod:`motive.linear`),
``reader-answers.safetensors`` and ``reader-questions.safetensors`` (the reader's two
fine-tuned parts, when it has one), ``config.json`` (readable without unpickling: labels,
embedding model and its weights' sha256, package versions, each file's sha256, training
corpus hash, metrics) and ``MODEL_CARD.md``.

Loading reads the classifiers from ``linear.safetensors``, and unpickles the joblib files
only for estimators it does not hold (other kinds of estimator, or folders from before it).

.. warning:: A pickled model file is code. ``joblib.load`` runs whatever the file says,
   so load model folders only from sources you trust. motive checks each file's sha256
   against ``config.json`` before reading it, which catches accidental damage and
   mismatched files, not a deliberate forgery of both.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from motive.chains import without_acknowledgement
from motive.labels import LABELS, QUESTION_KINDS
from motive.embed import Embedder, make_embedder, sha256_file
from motive.errors import ModelError
from motive.features import AnswerContext, answer_features
from motive.linear import load_linear, predict_proba, save_linear
from motive.reader import OLDER_READER_FILE, READER_FILES, Reader, context_pair
from motive.transcripts import holds_model  # noqa: F401  (public here too)

FORMAT_VERSION = 2  # 2: answer features include what follows the answer in its chain
ESTIMATOR_FILE = "estimator.joblib"
LINEAR_FILE = "linear.safetensors"
#: The estimators every model has (``estimator.joblib`` holds them).
ESTIMATORS = ("answer", "question", "terminal")
CONFIG_FILE = "config.json"
CARD_FILE = "MODEL_CARD.md"
#: The baselines' figures that ``scripts/train_default.py`` writes beside the default model.
BASELINES_FILE = "baselines.json"
#: Packages whose versions must match for a saved estimator to load.
PINNED_PACKAGES = ("scikit-learn", "numpy", "joblib")


class EmbeddingCache:
    """Embeds each distinct text once; looks vectors up by text. It is itself an
    :class:`~motive.embed.Embedder`, so several steps can share one."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}

    @property
    def dimension(self) -> int:
        return self.embedder.dimension

    def add(self, texts: Sequence[str]) -> None:
        """Embed the texts not seen yet (empty ones are left out: a missing question has no vector)."""
        self._embed_new([t for t in texts if t])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """The vectors of ``texts``, in order, as one matrix."""
        self._embed_new(texts)
        return np.stack([self._vectors[t] for t in texts]) if texts else np.zeros((0, self.dimension), dtype=np.float32)

    def _embed_new(self, texts: Sequence[str]) -> None:
        new = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if new:
            self._vectors.update(zip(new, self.embedder.embed(new)))

    def __call__(self, text: str) -> np.ndarray:
        if not text:
            return np.zeros(self.dimension, dtype=np.float32)  # an empty text has no vector, as a missing question has none
        if text not in self._vectors:
            self.add([text])
        return self._vectors[text]


@dataclass
class MotiveModel:
    """motive's classifier, scikit-learn style: ``predict`` and ``predict_proba`` take answer texts.

    Texts may be plain strings (the words alone) or :class:`~motive.features.AnswerContext`
    objects carrying the question, the previous answer and the place in the chain.
    """

    embedder: Embedder
    estimators: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)
    segmenter: object | None = None
    tags: dict = field(default_factory=dict)  # tag name ("driver", "discipline") → estimator
    reader: object | None = None  # a motive.reader.Reader, or None: the linear classifiers alone
    name: str = ""  # the name of the folder it was loaded from ("default" for motive's own)
    #: Whether its question kinds read a question without the acknowledgements said before it
    #: (:func:`~motive.chains.without_acknowledgement`); folders from before read it as asked.
    reads_past_acknowledgements: bool = True

    classes_ = np.asarray(LABELS)

    def identity(self) -> dict:
        """What the results of this model say about it (``Result.model``): its folder's name, its
        fingerprint (:func:`config_fingerprint`; None for a model trained in Python and not saved,
        whose files nothing identifies yet), whether a reader reads (False also for a model that
        has none), the precision and device it runs in (resolved once the embedding model has
        loaded) and motive's version. Two runs of a saved model with the same identity give the
        same results."""
        from motive import __version__

        return {
            "name": self.name,
            "fingerprint": config_fingerprint(self.config) if "estimator" in self.config else None,
            "reader": self.reader is not None,
            "precision": getattr(self.embedder, "precision", None),
            "device": getattr(self.embedder, "device", None),
            "motive": __version__,
        }

    def _contexts(self, answers: Sequence[str | AnswerContext]) -> list[AnswerContext]:
        if isinstance(answers, str):
            raise TypeError("predict and predict_proba take a list of answers: wrap one answer's text in a list")
        wrong = [type(a).__name__ for a in answers if not isinstance(a, (str, AnswerContext))]
        if wrong:
            raise TypeError(f"predict and predict_proba take answers as str (or AnswerContext), not {wrong[0]}")
        contexts = [a if isinstance(a, AnswerContext) else AnswerContext(str(a)) for a in answers]  # numpy.str_ too
        missing = [i for i, c in enumerate(contexts) if not c.sentences]
        if missing and self.segmenter is not None:
            split = self.segmenter.sentences([contexts[i].text for i in missing])
            for i, sentences in zip(missing, split):
                c = contexts[i]
                contexts[i] = replace(c, sentences=tuple(sentences))
        return contexts

    def answer_matrix(self, contexts: Sequence[AnswerContext], vectors: EmbeddingCache) -> np.ndarray:
        vectors.add([t for c in contexts for t in (*c.parts, c.question or "", *c.previous, c.next_question or "", *c.following)])
        dimension = self.embedder.dimension
        return np.stack([answer_features(c, vectors, dimension) for c in contexts])

    def predict_proba(self, answers: Sequence[str | AnswerContext]) -> np.ndarray:
        """Probability of each label (columns in ``classes_`` order) for each answer.

        With a reader, answers read in an interview (``in_interview``) are read by it too; a
        bare text is judged by the linear classifier alone, as the reader learned only exchanges.
        """
        contexts = self._contexts(answers)
        if not contexts:
            return np.zeros((0, len(self.classes_)))
        proba = self.answer_proba(self.answer_matrix(contexts, EmbeddingCache(self.embedder)))
        if self.reader is not None:
            read = [i for i, (c, unsure) in enumerate(zip(contexts, self.reader.reads(proba))) if c.in_interview and unsure]
            proba[read] = blend(proba[read], self.reader.predict("answers", [context_pair(contexts[i]) for i in read]))
        return proba

    def predict(self, answers: Sequence[str | AnswerContext]) -> np.ndarray:
        """The most likely label of each answer."""
        return self.classes_[self.predict_proba(answers).argmax(axis=1)]

    def answer_proba(self, matrix: np.ndarray) -> np.ndarray:
        """Label probabilities from feature rows, columns in ``classes_`` order."""
        estimator = self.estimators["answer"]
        proba = predict_proba(estimator, matrix)
        order = [list(estimator.classes_).index(label) for label in self.classes_]
        return proba[:, order]

    def predict_tags(self, answers: Sequence[str | AnswerContext]) -> dict[str, list[tuple[str, float]]]:
        """Value driver and discipline of each answer, read as an outcome answer, with probabilities.

        ``{"driver": [(value, probability), ...], "discipline": [...]}``; empty when
        the model was trained without tags.
        """
        from motive.tags import predict_tags

        contexts = self._contexts(answers)
        matrix = self.answer_matrix(contexts, EmbeddingCache(self.embedder)) if contexts else np.zeros((0, 0))
        return predict_tags(self.tags, matrix)

    def kind_reading(self, question: str | None) -> str | None:
        """A question as this model reads it to tell its kind (root, probe or aside)."""
        return without_acknowledgement(question) if self.reads_past_acknowledgements else question

    def question_proba(self, matrix: np.ndarray) -> np.ndarray | None:
        """Kind probabilities of questions from their feature rows, columns in ``QUESTION_KINDS``
        order; None for the cue rules of a model trained without interviews (they give no probabilities)."""
        estimator = self.estimators["question"]
        if not hasattr(estimator, "predict_proba"):
            return None
        proba = np.zeros((len(matrix), len(QUESTION_KINDS)))
        proba[:, [QUESTION_KINDS.index(kind) for kind in estimator.classes_]] = predict_proba(estimator, matrix)
        return proba

    def question_kinds(self, matrix: np.ndarray) -> list[str]:
        """The kind of each question from its feature rows."""
        proba = self.question_proba(matrix)
        if proba is None:
            return [str(kind) for kind in self.estimators["question"].predict(matrix)]
        return most_likely_kinds(proba)

    def terminal_scores(self, matrix: np.ndarray) -> np.ndarray:
        """The terminal-why score of each row of :func:`~motive.features.terminal_features`. A terminal
        classifier trained on fewer columns (the scalars alone, before the embeddings were added)
        reads the columns it knows."""
        estimator = self.estimators["terminal"]
        width = getattr(estimator, "n_features_in_", matrix.shape[1])
        return predict_proba(estimator, matrix[:, :width])[:, list(estimator.classes_).index(True)]


def most_likely_kinds(proba: np.ndarray) -> list[str]:
    """The kind with the highest probability in each row (``QUESTION_KINDS`` columns)."""
    return [QUESTION_KINDS[best] for best in proba.argmax(axis=1)]


def blend(linear: np.ndarray, read: np.ndarray) -> np.ndarray:
    """The mean of the linear classifier's and the reader's probabilities (same columns)."""
    return (linear + read.astype(linear.dtype)) / 2


# --- saving and loading -----------------------------------------------------------------------


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("motive", *PINNED_PACKAGES, "sentence-transformers", "torch", "spacy"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            pass
    return versions


def save_model(model: MotiveModel, folder: Path | str, *, training: dict, metrics: dict, card: Callable[[dict], str]) -> Path:
    """Write a model folder (``card`` turns the config into the model card's text); returns the folder.

    Every file is written into a hidden staging folder first (beside a new model folder,
    inside an existing one, so that a mount point or a link is written through), and
    moved into place only when all are written: a run stopped while writing, which
    takes the time, leaves the model that was there before (one stopped during the
    few renames at the very end leaves a folder that refuses to load until trained
    again). Files of the folder that are not model files (notes, say) are never touched;
    a folder whose ``config.json`` is not a motive model's is refused.
    """
    folder = Path(folder)
    check_model_destination(folder)
    exists = folder.is_dir()
    if not exists:
        folder.parent.mkdir(parents=True, exist_ok=True)
    place, prefix = (folder, _STAGING_PREFIX) if exists else (folder.parent, f"{_STAGING_PREFIX}{folder.name}-")
    for stale in place.glob(f"{prefix}*"):  # left by a run killed while saving (an hour ago or more: not one running now)
        if time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=place))
    try:
        _write_model(model, staging, training=training, metrics=metrics, card=card)
        if exists:
            _replace_model_files(staging, folder)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it its owner's alone
            os.replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


#: Hidden folders a model is written into before it is moved into place.
_STAGING_PREFIX = ".motive-saving-"


def check_model_destination(folder: Path) -> None:
    """Refuse, before any training, a place a model cannot be saved to: a file, a link to nothing,
    a folder that cannot be written, or a folder whose ``config.json`` is not a motive model's."""
    if folder.is_symlink() and not folder.exists():
        raise ModelError(f"{folder} is a link to nothing: name a folder for the model")
    if folder.exists() and not folder.is_dir():
        raise ModelError(f"{folder} is a file: name a folder for the model")
    if (folder / CONFIG_FILE).exists() and not holds_model(folder):
        raise ModelError(f"{folder} holds a config.json that is not a motive model's: name another folder for the model")
    existing = next(p for p in (folder, *folder.absolute().parents) if p.exists())
    if not os.access(existing, os.W_OK):
        raise ModelError(f"{folder}: cannot write there ({existing} is read-only or not yours)")


def _model_files() -> set[str]:
    from motive.tags import TAGS_FILE

    return {ESTIMATOR_FILE, LINEAR_FILE, CONFIG_FILE, CARD_FILE, TAGS_FILE, OLDER_READER_FILE, BASELINES_FILE, *READER_FILES.values()}


def _replace_model_files(staging: Path, folder: Path) -> None:
    """The model files of ``folder`` replaced by those written in ``staging`` (inside it, so each
    move is a rename on one file system); config.json last, so no other file is newer than it."""
    written = {path.name for path in staging.iterdir()}
    for name in _model_files() - written:
        (folder / name).unlink(missing_ok=True)  # the old model's, this one has none (tags, a reader)
    for name in sorted(written - {CONFIG_FILE}) + [CONFIG_FILE]:
        os.replace(staging / name, folder / name)


def _write_model(model: MotiveModel, folder: Path, *, training: dict, metrics: dict, card: Callable[[dict], str]) -> None:
    """Every file of a model folder, into the empty ``folder``."""
    import joblib

    estimator_path = folder / ESTIMATOR_FILE
    joblib.dump(model.estimators, estimator_path, compress=3)
    tags = None
    if model.tags:
        from motive.tags import TAGS_FILE

        joblib.dump(model.tags, folder / TAGS_FILE, compress=3)
        tags = {"file": TAGS_FILE, "sha256": sha256_file(folder / TAGS_FILE), "values": {k: list(e.classes_) for k, e in model.tags.items()}}
    linear = save_arrays(model, folder)
    reader = None
    if model.reader is not None:
        saved = model.reader.save(folder)
        reader = {**model.reader.config(), "files": {task: {"file": path.name, "sha256": sha256_file(path)} for task, path in saved.items()}}
    config = {
        "format": FORMAT_VERSION,
        "labels": list(LABELS),
        "question_kinds": list(QUESTION_KINDS),
        "embedding": {
            "model": model.embedder.name,
            "dimension": model.embedder.dimension,
            "weights_sha256": model.embedder.weights_sha256,
        },
        "estimator": {"file": ESTIMATOR_FILE, "sha256": sha256_file(estimator_path)},
        **({"linear": linear} if linear else {}),
        **({"tags": tags} if tags else {}),
        **({"reader": reader} if reader else {}),
        **({"sentence_splitter": model.segmenter.splitter_used} if hasattr(model.segmenter, "splitter_used") else {}),
        "reads_past_acknowledgements": model.reads_past_acknowledgements,
        "versions": package_versions(),
        "training": training,
        "metrics": metrics,
    }
    (folder / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    (folder / CARD_FILE).write_text(card(config), encoding="utf-8")
    model.config = config


def save_arrays(model: MotiveModel, folder: Path) -> dict | None:
    """Write ``linear.safetensors`` (:func:`motive.linear.save_linear`) for the model's estimators and
    tag estimators; returns its ``config.json`` entry, None when no estimator could be written.
    The entry names the estimators that are rules (``motive.features.RULES``), if any."""
    estimators = {**model.estimators, **{f"tag.{k}": v for k, v in model.tags.items()}}
    saved = save_linear(estimators, folder / LINEAR_FILE)
    if not saved:
        return None
    rules = {name: estimators[name].rule for name in saved if hasattr(estimators[name], "rule")}
    return {"file": LINEAR_FILE, "sha256": sha256_file(folder / LINEAR_FILE), "classifiers": saved, **({"rules": rules} if rules else {})}


def with_entry_after(config: dict, after: str, key: str, value) -> dict:
    """``config`` with ``key`` set to ``value`` and placed right after ``after``, as :func:`save_model` orders them.

    >>> with_entry_after({"a": 1, "c": 3}, "a", "b", 2)
    {'a': 1, 'b': 2, 'c': 3}
    """
    ordered = {}
    for name, entry in config.items():
        if name != key:
            ordered[name] = entry
        if name == after:
            ordered[key] = value
    return ordered


#: Entries of a model's config that describe how it was made and how well it does, not what it
#: computes: left out of its fingerprint, so that the figures or the way a path was typed at
#: training time do not make the same model another.
NOT_FINGERPRINTED = ("metrics", "training")


def config_fingerprint(config: dict) -> str:
    """sha256 of a model's config (JSON, keys sorted) without :data:`NOT_FINGERPRINTED`; the config
    holds every estimator's and the embedding weights' sha256, so two models with the same
    fingerprint give the same results."""
    computed = {key: value for key, value in config.items() if key not in NOT_FINGERPRINTED}
    return hashlib.sha256(json.dumps(computed, sort_keys=True).encode()).hexdigest()


def without_reader(config: dict) -> dict:
    """A model's config as loaded without its reader: no ``reader`` entry, so another fingerprint."""
    return {key: value for key, value in config.items() if key != "reader"}


def default_model_path() -> Path:
    """``MOTIVE_MODEL`` if set, else the ``models/default`` folder of a clone of motive, else the
    copy of it that an installed wheel holds (``motive/models/default``)."""
    if os.environ.get("MOTIVE_MODEL"):
        return Path(os.environ["MOTIVE_MODEL"])
    package = Path(__file__).resolve().parent
    in_clone = package.parent / "models" / "default"
    in_wheel = package / "models" / "default"
    return in_wheel if in_wheel.is_dir() else in_clone  # a clone's package holds no models folder


def read_config(folder: Path) -> dict:
    path = folder / CONFIG_FILE
    if folder.is_file():
        hint = f"the model folder is {folder.parent}" if folder.name == CONFIG_FILE else "name the folder that holds its config.json"
        raise ModelError(f"{folder} is a file, not a model folder: {hint}")
    if not folder.is_dir():
        raise ModelError(
            f"no model folder at {folder}: train one with 'motive train CORPUS -o {folder}', "
            "or point --model / MOTIVE_MODEL at an existing model folder"
        )
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{folder} is not a motive model folder: {CONFIG_FILE} is missing") from None
    except json.JSONDecodeError as error:
        raise ModelError(f"{path} is not valid JSON ({error.msg}); the model folder is damaged") from None
    if config.get("format") != FORMAT_VERSION:
        raise ModelError(
            f"{path}: model format {config.get('format')!r}, this motive reads format {FORMAT_VERSION}; "
            f"retrain it with 'motive train CORPUS -o {folder} --replace'"
        )
    return config


def check_versions(config: dict, folder: Path) -> None:
    """A pickled estimator only loads safely into the versions that wrote it (major.minor).
    (The arrays of ``linear.safetensors`` load into any.)"""
    here = package_versions()
    for package in PINNED_PACKAGES:
        saved, current = config["versions"].get(package), here.get(package)
        if saved and current and saved.split(".")[:2] != current.split(".")[:2]:
            raise ModelError(
                f"{folder} was built with {package} {saved}, this environment has {current}: "
                f"install {package}=={saved} or retrain with 'motive train'"
            )


def load_model(
    path: str | Path | None = None,
    *,
    embedder: Embedder | None = None,
    device: str = "auto",
    precision: str = "auto",
    reader: bool = True,
    read_below: float | None = None,
) -> MotiveModel:
    """Load a model folder (default: ``MOTIVE_MODEL`` or ``models/default``), verifying it first.

    ``device`` (``auto``, ``cpu``, ``cuda``) and ``precision`` (``auto``, ``fp32``, ``bf16``)
    say where and how the embedding model runs: ``auto`` means a GPU when torch sees one, and
    bfloat16 where the hardware computes it natively and its labels were checked against fp32
    (see :func:`motive.embed.resolve_precision`).

    ``reader=False`` leaves out the model's reader, if it has one: the linear classifiers
    alone label answers and draw chains: faster, and less accurate
    (figures in BENCHMARKS.md). ``read_below`` replaces the model's own threshold of where the
    reader reads (see :meth:`motive.reader.Reader.reads`; 1: everything), in its config too, so
    that results read otherwise get another config fingerprint.

    Each file's sha256 is checked against ``config.json`` before anything is read, the
    package versions before anything is unpickled, and the embedding model's weights
    against the hash it was trained with. Pickled model files are code: load only trusted ones.
    """
    folder = Path(path) if path else default_model_path()
    config = read_config(folder) if reader else without_reader(read_config(folder))
    if read_below is not None and "reader" in config:
        config["reader"] = {**config["reader"], "read_below": read_below}
    estimator_path = verified_file(folder, config["estimator"])
    tags_path = verified_file(folder, config["tags"]) if config.get("tags") else None
    reader_paths = [verified_file(folder, entry) for entry in reader_files(config["reader"])] if config.get("reader") else []
    arrays = load_linear(verified_file(folder, config["linear"])) if config.get("linear") else {}
    embedder = embedder or make_embedder(config["embedding"]["model"], device=device, precision=precision)
    expected = config["embedding"].get("weights_sha256")
    if expected and embedder.weights_sha256 and embedder.weights_sha256 != expected:
        raise ModelError(
            f"the embedding model {embedder.name} on this machine (sha256 {embedder.weights_sha256[:12]}…) "
            f"is not the one {folder} was trained with ({expected[:12]}…)"
        )
    estimators = classifiers(arrays, ESTIMATORS, estimator_path, config, folder)
    tags = classifiers(arrays, [f"tag.{name}" for name in config["tags"]["values"]], tags_path, config, folder) if tags_path else {}
    from motive.segment import Segmenter

    # Sentences are split as the model was trained: folders from before the splitter was recorded used the parser.
    segmenter = Segmenter(splitter=config.get("sentence_splitter", "parser"))
    # Folders from before it was recorded read each question as asked.
    model = MotiveModel(embedder, estimators, config, segmenter, tags, name=folder.resolve().name,
                        reads_past_acknowledgements=config.get("reads_past_acknowledgements", False))
    if reader_paths:
        read_below = config["reader"].get("read_below", 1.0)  # folders from before it was recorded: the reader reads everything
        model.reader = Reader.load(reader_paths, config["reader"]["settings"], read_below=read_below, device=device, precision=precision)
    return model


_OLD_NAMES = threading.Lock()


def classifiers(arrays: dict, names: Sequence[str], pickled: Path, config: dict, folder: Path) -> dict:
    """The ``names`` estimators (``tag.`` names: tag estimators) from ``linear.safetensors``' ``arrays``,
    unpickling the ``pickled`` file, after checking the package versions, only for those missing there."""
    found = {name.removeprefix("tag."): arrays[name] for name in names if name in arrays}
    if len(found) < len(names):
        import joblib

        import motive.features

        check_versions(config, folder)
        # Folders saved before the rules moved pickled them as motive.train.CueQuestionKinds / LastOutcome:
        # that name stands for motive.features while they are unpickled, and no longer.
        with _OLD_NAMES:  # one load at a time sets and removes the name, whatever threads load models
            aliased = "motive.train" not in sys.modules
            if aliased:
                sys.modules["motive.train"] = motive.features
            try:
                found = {**joblib.load(pickled), **found}
            except (ModuleNotFoundError, AttributeError) as error:
                raise ModelError(f"{pickled} holds an estimator this motive cannot read ({error}); retrain the model") from None
            finally:
                if aliased:
                    sys.modules.pop("motive.train", None)
    return found


def reader_files(entry: dict) -> list[dict]:
    """The ``{"file", "sha256"}`` entries of a reader's files: one per part, or the one file of a
    folder from before the parts were saved apart."""
    return list(entry["files"].values()) if "files" in entry else [entry]


def verified_file(folder: Path, entry: dict) -> Path:
    """The model file that ``entry`` (``{"file", "sha256"}`` from config.json) names, after checking its sha256."""
    path = folder / entry["file"]
    if not path.is_file():
        raise ModelError(f"{path} is missing; the model folder is incomplete")
    if sha256_file(path) != entry["sha256"]:
        raise ModelError(
            f"{path} does not match the sha256 in {CONFIG_FILE}: the file was changed or damaged; "
            "refusing to load it (retrain, or restore the folder from a trusted copy)"
        )
    return path
