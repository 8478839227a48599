"""The reader: MiniLM fine-tuned to read exchanges whole.

The linear classifiers of :mod:`motive.model` see each text embedded on its
own. The reader reads an answer, or a question, together with what surrounds
it as one input, so that their words attend to each other. It is two
fine-tuned copies of MiniLM, each with a linear head over its mean token:

- **answers**: the question, then the answer and the interviewer's next
  question → output / outcome / none;
- **questions**: the last words of the answer before and the question, then
  the first words of its reply → root / probe / aside (where chains start).

Their probabilities are averaged with the linear classifiers' (the two kinds of
model err in different places), but only where the classifiers are unsure: where
their most likely class has less than ``read_below`` (:meth:`Reader.reads`).
Where they are sure, the reader rarely changes the answer, and reading costs far
more than the classifiers. The inputs depend only on the order of the exchanges,
not on the chains, so questions are read before the chains are drawn.

Each part is saved in a file of its own, ``reader-answers.safetensors`` and
``reader-questions.safetensors``, of about 11 MB each: its head, and its encoder
as the change fine-tuning made to the installed MiniLM package's weights
(checked against their sha256), each matrix's change in int8 with a scale per
row (:func:`pack`). The word embeddings stay as they were and are left out.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from motive.chains import without_acknowledgement
from motive.labels import LABELS, QUESTION_KINDS
from motive.embed import (
    DEFAULT_EMBEDDING_MODEL,
    DEVICES,
    PRECISIONS,
    batch_tokens,
    bucket_batch_size,
    bundled_minilm,
    check_minilm,
    cpu_has_native_bf16,
    length_bucket,
    resolve_device,
    resolve_precision,
    right_padded,
    weights_sha256,
)
from motive.errors import ModelError

#: The two parts of the reader, and the classes each one tells apart.
TASKS = {"answers": LABELS, "questions": QUESTION_KINDS}
#: The file each part is saved in.
READER_FILES = {task: f"reader-{task}.safetensors" for task in TASKS}
#: The one file both parts were saved in before (whole tensors in half precision); still read.
OLDER_READER_FILE = "reader.safetensors"
#: Words of the neighbouring answer a question is read with (the end of the one before, the start of its reply).
CONTEXT_WORDS = 60
#: Tokens read of one input at most (the longer segment is cut first).
MAX_TOKENS = 256
#: Tokens in one of the reader's batches on a CPU, padding included. Each length bucket ends in a
#: part-full batch, padded to the full shape: smaller batches waste less on it, bigger ones compute
#: faster. With 2 threads, 512 read the test split's exchanges fastest, 256 a single interview's
#: (``scripts/bench_reader_batches.py``; figures in BENCHMARKS.md). On a GPU the reader's batches
#: hold :data:`~motive.embed.GPU_TOKENS_PER_BATCH`, as the embedding model's do.
TOKENS_PER_BATCH = 512
#: The reader reads an answer or a question only where the classifiers' most likely class has less
#: than this probability (1: it reads everything).
READ_BELOW = 0.9
#: The encoder's tensor that fine-tuning leaves as it is: read from the MiniLM package, not saved.
FROZEN = "embeddings.word_embeddings.weight"

Pair = tuple[str, str]

log = logging.getLogger("motive.training")  # a fine-tune is a stage of training


def answer_pairs(answers: Sequence[str], questions: Sequence[str | None]) -> list[Pair]:
    """The answers part's input for each answer of one interview: (its question, the answer and
    the next question).

    >>> answer_pairs(["We buy the tool.", "It saves hours."], ["Why this tool?", None])
    [('Why this tool?', 'We buy the tool. [SEP] '), ('', 'It saves hours. [SEP] ')]
    """
    following = [*questions[1:], None]
    return [(questions[k] or "", f"{answer} [SEP] {following[k] or ''}") for k, answer in enumerate(answers)]


def question_pairs(answers: Sequence[str], questions: Sequence[str | None]) -> list[Pair | None]:
    """The questions part's input for each answer of one interview (None where no question was
    asked): (the end of the answer before and the question, the start of the reply).

    >>> question_pairs(["We buy the tool.", "It saves hours."], ["Why this tool?", "Why?"])
    [(' [SEP] Why this tool?', 'We buy the tool.'), ('We buy the tool. [SEP] Why?', 'It saves hours.')]
    """
    pairs: list[Pair | None] = []
    for k, (answer, question) in enumerate(zip(answers, questions)):
        before = " ".join(answers[k - 1].split()[-CONTEXT_WORDS:]) if k else ""
        pairs.append(None if question is None else (f"{before} [SEP] {question}", " ".join(answer.split()[:CONTEXT_WORDS])))
    return pairs


def as_transcribed(text: str) -> str:
    """``text`` as automatic transcription writes it: lower case, without punctuation.

    >>> as_transcribed("Fewer call-outs - and faster, too. Isn't it?")
    "fewer call-outs and faster too isn't it"
    """
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"[.,?!;:\"()\[\]\u2026\u2014\u2013]|(?<=\s)-|-(?=\s)", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def context_pair(context) -> Pair:
    """The answers part's input for one :class:`~motive.features.AnswerContext`, as
    :func:`answer_pairs` makes it: the question asked next in the interview (``asked_next``),
    or, where that is not known, the next question of its chain."""
    following = context.asked_next if context.asked_next is not None else context.next_question
    return (context.question or "", f"{context.text} [SEP] {following or ''}")


@dataclass(frozen=True)
class ReaderSettings:
    """How each part of the reader is fine-tuned."""

    #: Passes over each part's inputs. The answers part learns from about half as many inputs
    #: as the questions part (which has the transcribed copies too), and gains from a fourth pass.
    answer_epochs: int = 4
    question_epochs: int = 3
    learning_rate: float = 5e-5
    batch: int = 16
    seed: int = 0
    #: The questions part also learns from each question's input as automatic transcription
    #: writes it (:func:`as_transcribed`), where that differs: chain starts in transcripts
    #: without capitals or question marks are found from the words alone.
    transcribed_questions: bool = True

    def __post_init__(self):
        if min(self.answer_epochs, self.question_epochs, self.batch) < 1:
            raise ValueError(
                f"answer_epochs={self.answer_epochs}, question_epochs={self.question_epochs}, batch={self.batch}: each must be at least 1"
            )
        if self.learning_rate <= 0:
            raise ValueError(f"learning_rate={self.learning_rate}: must be > 0")

    def epochs(self, task: str) -> int:
        """The passes over the inputs of one part, ``answers`` or ``questions``."""
        return {"answers": self.answer_epochs, "questions": self.question_epochs}[task]

    @classmethod
    def from_config(cls, settings: dict) -> ReaderSettings:
        """The settings a model folder's ``config.json`` records, older folders' included."""
        settings = {"transcribed_questions": False, **settings}  # older folders' readers learnt without the copies
        if "epochs" in settings:  # older folders gave both parts the same passes
            epochs = settings.pop("epochs")
            settings = {"answer_epochs": epochs, "question_epochs": epochs, **settings}
        return cls(**settings)


def reader_examples(interviews, *, transcribed_questions: bool = False) -> dict[str, list[tuple[Pair, int]]]:
    """Each part's training examples, (input, class index), from annotated interviews.

    With ``transcribed_questions``, the questions part's examples are followed by their
    transcribed copies (:func:`as_transcribed`), in the same order, where a copy differs. The
    questions part reads each question without the acknowledgements said before it
    (:func:`~motive.chains.without_acknowledgement`), as a model it belongs to reads them.
    """
    examples: dict[str, list[tuple[Pair, int]]] = {"answers": [], "questions": []}
    copies: list[tuple[Pair, int]] = []
    for interview in interviews:
        texts, questions = [a.text for a in interview.answers], [a.question for a in interview.answers]
        for answer, pair in zip(interview.answers, answer_pairs(texts, questions)):
            examples["answers"].append((pair, LABELS.index(answer.label)))
        written = question_pairs(texts, [without_acknowledgement(q) for q in questions])
        transcribed = (
            question_pairs([as_transcribed(t) for t in texts], [None if q is None else without_acknowledgement(as_transcribed(q)) for q in questions])
            if transcribed_questions
            else written
        )
        for answer, pair, copy in zip(interview.answers, written, transcribed):
            if pair is not None and answer.question_kind:
                kind = QUESTION_KINDS.index(answer.question_kind)
                examples["questions"].append((pair, kind))
                if copy != pair:
                    copies.append((copy, kind))
    examples["questions"] += copies
    return examples


def _base_encoder():
    """The bundled MiniLM as a plain transformers model, after checking its weights."""
    folder = bundled_minilm()
    check_minilm(folder, weights_sha256(folder))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()  # MiniLM's pooler is left out on purpose: no report of it
    return AutoTokenizer.from_pretrained(str(folder)), AutoModel.from_pretrained(str(folder), add_pooling_layer=False)


def pack(weights: dict, base: dict) -> dict:
    """An encoder's fine-tuned tensors as a reader file stores them, given MiniLM's own (``base``).

    Each matrix is stored as its change from MiniLM's, in int8 with one scale per row
    (``NAME.delta``, ``NAME.scale``). Fine-tuning moves the weights only a little (0.0072 at
    most in the default model), so steps of a row's largest change / 127 are finer than half
    precision's spacing of the weights themselves (2.4e-5 against 4.7e-5 on average).
    The change is taken from the weight rounded to half precision, as reader files held it
    before, so that one of those converts to the very file a retrain writes. Vectors
    (biases, layer norms) are stored whole in half precision; the frozen word embeddings not
    at all.
    """
    import torch

    stored = {}
    for name, weight in weights.items():
        if name == FROZEN:
            continue
        if weight.dim() == 2:
            delta = weight.detach().half().float() - base[name].float()
            scale = delta.abs().amax(dim=1, keepdim=True) / 127
            scale = torch.where(scale > 0, scale, torch.ones_like(scale))
            stored[f"{name}.delta"] = torch.round(delta / scale).to(torch.int8)
            stored[f"{name}.scale"] = scale
        else:
            stored[name] = weight.detach().half()
    return stored


def unpack(stored: dict, base: dict) -> dict:
    """The encoder's tensors, in fp32, from what :func:`pack` stored (older reader files store
    whole tensors in half precision: those are taken as they are)."""
    weights = {}
    for name, tensor in stored.items():
        if name.endswith(".delta"):
            name = name.removesuffix(".delta")
            weights[name] = base[name].float() + tensor.float() * stored[f"{name}.scale"]
        elif not name.endswith(".scale"):
            weights[name] = tensor.float()
    return weights


class _Network:
    """One part of the reader: an encoder and a linear head over its mean token, as torch modules."""

    def __init__(self, classes: int):
        import torch

        self.tokenizer, self.encoder = _base_encoder()
        self.encoder.get_parameter(FROZEN).requires_grad_(False)
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, classes)

    def parameters(self):
        return [p for p in self.encoder.parameters() if p.requires_grad] + list(self.head.parameters())

    def train(self, on: bool) -> None:
        self.encoder.train(on)
        self.head.train(on)

    def to(self, device: str, dtype=None) -> None:
        self.encoder.to(device=device, dtype=dtype)
        self.head.to(device)

    def logits(self, features: dict):
        hidden = self.encoder(**features).last_hidden_state.float()
        mask = features["attention_mask"].unsqueeze(-1).float()
        return self.head((hidden * mask).sum(1) / mask.sum(1))

    def tokenize(self, pairs: Sequence[Pair], **options):
        return self.tokenizer([p[0] for p in pairs], [p[1] for p in pairs], truncation=True, max_length=MAX_TOKENS, **options)

    def state(self, prefix: str) -> dict:
        """The fine-tuned tensors as stored: the encoder's packed against MiniLM's (:func:`pack`) and the head's."""
        packed = pack(self.encoder.state_dict(), _base_encoder()[1].state_dict())
        state = {f"{prefix}.encoder.{k}": v for k, v in packed.items()}
        state.update({f"{prefix}.head.{k}": v for k, v in self.head.state_dict().items()})
        return {k: v.detach().contiguous() for k, v in state.items()}

    def load_state(self, state: dict, prefix: str) -> None:
        """Take the tensors of :meth:`state` (the encoder still holds MiniLM's own: the base they were packed against)."""
        mine = {k[len(prefix) + 1 :]: v for k, v in state.items() if k.startswith(prefix + ".")}
        encoder = unpack({k[len("encoder.") :]: v for k, v in mine.items() if k.startswith("encoder.")}, self.encoder.state_dict())
        missing, unexpected = self.encoder.load_state_dict(encoder, strict=False)
        if set(missing) != {FROZEN} or unexpected:
            raise ModelError(f"the reader file does not fit MiniLM: missing {sorted(set(missing) - {FROZEN})}, unexpected {sorted(unexpected)}")
        self.head.load_state_dict({k[len("head.") :]: v for k, v in mine.items() if k.startswith("head.")})


def fit_reader(interviews, settings: ReaderSettings | None = None, *, progress=None, cache: Path | None = None) -> Reader:
    """Fine-tune both parts of the reader on annotated interviews (cross-entropy; AdamW with a
    linear warm-up over the first tenth of the batches, then linear decay).

    Same interviews and settings on the same machine and versions give the same weights:
    the seed fixes the initial heads, the dropout and the order of the batches.
    ``progress(done, total)``, if given, is called after every batch of either part.
    With a ``cache`` folder, the weights are kept there under :func:`fine_tune_key`, and a
    fine-tune whose key is there already is read instead of run again.
    """
    settings = settings or ReaderSettings()
    examples = reader_examples(interviews, transcribed_questions=settings.transcribed_questions)
    if not examples["answers"]:
        raise ValueError("the reader learns from annotated interviews; none were given")
    if cache is None:
        return _fit(examples, settings, progress)
    from safetensors.torch import load_file, save

    path = Path(cache) / f"reader-{fine_tune_key(examples, settings)}.safetensors"
    if path.is_file():
        try:
            return Reader(load_file(str(path)), settings)
        except Exception as error:  # safetensors raises its own kinds
            log.warning("warning: %s is not a readable fine-tune (%s): fine-tuning again", path, error)
    reader = _fit(examples, settings, progress)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_bytes(save(reader.state))
        partial.replace(path)
    except OSError as error:  # the fine-tune is done: a cache that cannot be written costs only the next one
        log.warning("warning: the fine-tuned reader could not be kept in %s (%s)", cache, error)
    return reader


def fine_tune_key(examples: dict[str, list[tuple[Pair, int]]], settings: ReaderSettings) -> str:
    """sha256 of everything a fine-tune's weights depend on: its examples and settings, the code
    that fine-tunes and packs them, MiniLM's weights, the versions of torch and transformers, the
    processor and torch's thread count (the order of a sum, and so the last bits of a weight,
    depend on how many threads share it)."""
    import hashlib
    import inspect
    import json
    import platform
    from importlib.metadata import version

    import torch

    code = [inspect.getsource(part) for part in (_fit, fine_tune_steps, _fine_tune, _Network, pack)]
    digest = hashlib.sha256(json.dumps(
        [asdict(settings), code, weights_sha256(bundled_minilm()), version("torch"), version("transformers"), platform.machine(),
         torch.get_num_threads(), MAX_TOKENS, CONTEXT_WORDS]
    ).encode())
    for task in sorted(examples):
        digest.update(hashlib.sha256(json.dumps([task, examples[task]]).encode()).digest())
    return digest.hexdigest()


def _fit(examples: dict[str, list[tuple[Pair, int]]], settings: ReaderSettings, progress) -> Reader:
    steps = {task: fine_tune_steps(len(rows), settings.epochs(task), settings.batch) for task, rows in examples.items() if rows}
    total, done, state = sum(steps.values()), 0, {}
    for task, rows in examples.items():
        if rows:
            tick = (lambda step, offset=done: progress(offset + step, total)) if progress else None
            state.update(_fine_tune(rows, len(TASKS[task]), settings.epochs(task), settings, tick).state(task))
            done += steps[task]
    return Reader(state, settings)


def fine_tune_steps(rows: int, epochs: int, batch: int) -> int:
    """How many batches a fine-tune of ``epochs`` passes over ``rows`` inputs takes (a part-full last batch is left out).

    >>> fine_tune_steps(100, 3, 16), fine_tune_steps(5, 2, 16)
    (18, 2)
    """
    return epochs * max(1, rows // batch)


def _fine_tune(rows: list[tuple[Pair, int]], classes: int, epochs: int, settings: ReaderSettings, tick) -> _Network:
    import random

    import torch

    torch.manual_seed(settings.seed)
    network = _Network(classes)
    optimiser = torch.optim.AdamW(network.parameters(), lr=settings.learning_rate, weight_decay=0.01)
    steps = fine_tune_steps(len(rows), epochs, settings.batch)
    warmup = max(1.0, 0.1 * steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / steps))
    order, rng, done = list(range(len(rows))), random.Random(settings.seed), 0
    network.train(True)
    for _ in range(epochs):
        rng.shuffle(order)
        for start in range(0, max(1, len(order) - settings.batch + 1), settings.batch):
            batch = [rows[i] for i in order[start : start + settings.batch]]
            features = network.tokenize([pair for pair, _ in batch], padding=True, return_tensors="pt")
            loss = torch.nn.functional.cross_entropy(network.logits(dict(features)), torch.tensor([target for _, target in batch]))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            done += 1
            if tick:
                tick(done)
    network.train(False)
    return network


class Reader:
    """A fine-tuned reader: its trained tensors and settings. The networks are built on first use."""

    def __init__(
        self, state: dict, settings: ReaderSettings, *, read_below: float = READ_BELOW, device: str = "cpu", precision: str = "fp32"
    ):
        if device not in DEVICES:
            raise ValueError(f"device={device!r}; expected one of {', '.join(DEVICES)}")
        if precision not in PRECISIONS:
            raise ValueError(f"precision={precision!r}; expected one of {', '.join(PRECISIONS)}")
        if not 0 < read_below <= 1:
            raise ValueError(f"read_below={read_below}: expected a probability above 0 and at most 1 (1: read everything)")
        self.state = state
        self.settings = settings
        self.read_below = read_below
        self.device = device  # auto, cpu or cuda: settled on first use, as for the embedding model
        self.precision = precision  # auto, fp32 or bf16: likewise
        self._networks: dict[str, _Network] = {}

    def config(self) -> dict:
        return {
            "settings": asdict(self.settings),
            "max_tokens": MAX_TOKENS,
            "context_words": CONTEXT_WORDS,
            "read_below": self.read_below,
        }

    def save(self, folder: Path) -> dict[str, Path]:
        """Write each part's tensors to its file in ``folder`` (:data:`READER_FILES`); returns the paths by part."""
        from safetensors.torch import save

        paths = {}
        for task, name in READER_FILES.items():
            paths[task] = folder / name
            # safetensors' save_file would create the file readable by its owner alone
            paths[task].write_bytes(save({k: v for k, v in self.state.items() if k.startswith(task + ".")}))
        return paths

    @classmethod
    def load(cls, paths: Sequence[Path], settings: dict, *, read_below: float, device: str = "cpu", precision: str = "fp32") -> Reader:
        """A reader from its files (:meth:`save`'s, or an older folder's one file holding both parts)."""
        from safetensors.torch import load_file

        state = {}
        for path in paths:
            try:
                state.update(load_file(str(path)))
            except Exception as error:  # safetensors raises its own kinds
                raise ModelError(f"{path} is not a readable reader file: {error}") from None
        return cls(state, ReaderSettings.from_config(settings), read_below=read_below, device=device, precision=precision)

    def network(self, task: str) -> _Network:
        if task not in self._networks:
            import torch

            self.device = resolve_device(self.device, torch.cuda.is_available())
            native = cpu_has_native_bf16()
            self.precision = resolve_precision(self.precision, device=self.device, native_bf16=native, model=DEFAULT_EMBEDDING_MODEL)
            network = _Network(len(TASKS[task]))
            network.load_state(self.state, task)
            network.train(False)
            network.to(self.device, torch.bfloat16 if self.precision == "bf16" else None)
            self._networks[task] = network
        return self._networks[task]

    def predict(self, task: str, pairs: Sequence[Pair]) -> np.ndarray:
        """Probabilities of ``TASKS[task]`` (in that order) for each pair of :func:`answer_pairs`
        (task ``answers``) or :func:`question_pairs` (``questions``).

        Pairs are padded to length buckets and batched by bucket with fixed batch sizes, so what
        the reader says of an input does not depend on what else is read with it.
        """
        import torch

        proba = np.zeros((len(pairs), len(TASKS[task])), dtype=np.float32)
        if not pairs:
            return proba
        network = self.network(task)
        encoded = network.tokenize(pairs)
        groups: dict[int, list[int]] = {}
        for index, row in enumerate(encoded["input_ids"]):
            groups.setdefault(length_bucket(len(row)), []).append(index)
        pad = network.tokenizer.pad_token_id or 0
        tokens = batch_tokens(self.device, cpu=TOKENS_PER_BATCH)
        with torch.inference_mode():
            for bucket, members in sorted(groups.items()):
                size = bucket_batch_size(bucket, tokens)
                for start in range(0, len(members), size):
                    chunk = members[start : start + size]
                    features = _padded(encoded, chunk + [chunk[0]] * (size - len(chunk)), bucket, pad, self.device)
                    proba[chunk] = torch.softmax(network.logits(features).float(), dim=1)[: len(chunk)].cpu().numpy()
        return proba

    def reads(self, proba: np.ndarray) -> np.ndarray:
        """Which rows of the classifiers' probabilities the reader reads as well: those whose most
        likely class has less than ``read_below`` (every row when it is 1)."""
        if self.read_below >= 1:
            return np.ones(len(proba), dtype=bool)
        return proba.max(axis=1) < self.read_below


def _padded(encoded, rows: list[int], length: int, pad: int, device: str) -> dict:
    """Rows of a tokenizer's output right-padded to ``length``, as tensors."""
    import torch

    ids, mask = right_padded([encoded["input_ids"][index] for index in rows], length, pad)
    types, _ = right_padded([encoded["token_type_ids"][index] for index in rows], length, 0)
    features = {"input_ids": torch.from_numpy(ids), "attention_mask": torch.from_numpy(mask), "token_type_ids": torch.from_numpy(types)}
    return {key: value.to(device) for key, value in features.items()}
