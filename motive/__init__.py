"""motive: find why customers buy.

Reads why-chain interview transcripts, labels every answer ``output``,
``outcome`` or ``none``, rebuilds each why chain and finds its terminal why::

    from pathlib import Path
    import motive

    result = motive.classify(text)              # a str is transcript text
    result = motive.classify(Path("call.txt"))  # a Path is a file
    for result in motive.classify_many(paths):  # streaming, batched
        ...

Importing motive is light: numpy, torch, transformers and spaCy load when first
needed; scikit-learn only to train, evaluate or find themes (insights, gap,
report), or for a model whose estimators need it; sentence-transformers only to
train, or for an embedding model of another layout.
"""

import logging
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("motive")
except PackageNotFoundError:  # a source tree that is not installed
    __version__ = "0.0.0"

logging.getLogger("motive").addHandler(logging.NullHandler())

#: Public name → the module that defines it (imported on first use).
_EXPORTS = {
    "classify": "motive.pipeline",
    "classify_many": "motive.pipeline",
    "classify_on_dask": "motive.distributed",
    "load_model": "motive.model",
    "MotiveModel": "motive.model",
    "AnswerContext": "motive.features",
    "Result": "motive.results",
    "Answer": "motive.results",
    "Chain": "motive.results",
    "train": "motive.training",
    "save": "motive.training",
    "ReaderSettings": "motive.reader",
    "evaluate": "motive.evaluation",
    "read_interviews": "motive.corpus",
    "read_table": "motive.corpus",
    "build_insights": "motive.insights",
    "Insights": "motive.insights",
    "MotiveError": "motive.errors",
    "TranscriptError": "motive.errors",
    "ModelError": "motive.errors",
    "CorpusError": "motive.errors",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'motive' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
