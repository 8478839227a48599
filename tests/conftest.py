"""Shared fixtures: a small model trained on hand-written interviews with a fake embedder.

Most tests use it, so they run in seconds without the real embedding model;
tests marked ``slow`` load the real one.
"""

import shutil
from pathlib import Path

import pytest

from motive.corpus import read_interviews
from motive.embed import HashingEmbedder
from motive.segment import Segmenter
from motive.training import TrainingSettings, train

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"


@pytest.fixture(scope="session")
def segmenter():
    return Segmenter("sentencizer")


@pytest.fixture(scope="session")
def interviews():
    return read_interviews([CORPUS])


@pytest.fixture(scope="session")
def small_model(interviews, segmenter):
    return train(interviews, embedder=HashingEmbedder(256), segmenter=segmenter, settings=TrainingSettings(folds=2))


@pytest.fixture(scope="session")
def model_folder(tmp_path_factory):
    """A saved model folder, trained by the CLI with the hashing embedder."""
    from click.testing import CliRunner

    from motive.cli import main

    folder = tmp_path_factory.mktemp("models") / "small"
    result = CliRunner().invoke(main, ["train", str(CORPUS), "-o", str(folder), "--embedding-model", "hashing-256"])
    assert result.exit_code == 0, result.output
    return folder


def damaged_copy(folder: Path, name: str, into: Path) -> Path:
    """A copy of the model ``folder`` at ``into`` whose file ``name`` has one byte more."""
    shutil.copytree(folder, into)
    with (into / name).open("ab") as handle:
        handle.write(b"\0")
    return into
