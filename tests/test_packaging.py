"""The wheel: a plain ``pip install`` of motive classifies with the default model it ships."""

import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "default"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    """The files a build reads, copied, so that building leaves no files in the clone."""
    pytest.importorskip("setuptools")
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "motive", source / "motive", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests", source / "tests", ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copytree(MODEL, source / "models" / "default")
    return source


@pytest.fixture(scope="module")
def wheel(project_copy, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
               "--wheel-dir", str(out), str(project_copy)]
    subprocess.run(command, check=True, capture_output=True, text=True)
    (built,) = out.glob("motive-*.whl")
    return built


@pytest.fixture(scope="module")
def source_distribution(project_copy, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sdist")
    build = f"from setuptools import build_meta; print(build_meta.build_sdist({str(out)!r}))"
    subprocess.run([sys.executable, "-c", build], cwd=project_copy, check=True, capture_output=True, text=True)
    (built,) = out.glob("motive-*.tar.gz")
    return built


def test_the_wheel_holds_the_default_model_byte_for_byte(wheel):
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name.removeprefix("motive/models/default/"): _sha256(archive.read(name))
                   for name in archive.namelist() if name.startswith("motive/models/default/")}
    committed = {path.name: _sha256(path.read_bytes()) for path in MODEL.iterdir() if path.is_file()}
    assert shipped == committed


def test_an_installed_wheel_finds_its_own_default_model(wheel, tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    (site / "models" / "default").mkdir(parents=True)  # another package's folder beside motive's takes nothing over
    check = "from motive.model import default_model_path; print(default_model_path())"
    found = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, check=True,
                           env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}).stdout.strip()
    assert Path(found) == site / "motive" / "models" / "default"


def test_a_clone_uses_its_own_models_folder(monkeypatch):
    from motive.model import default_model_path

    monkeypatch.delenv("MOTIVE_MODEL", raising=False)
    assert default_model_path().resolve() == MODEL.resolve()


def test_the_source_distribution_holds_the_model_and_leaves_out_the_tests(source_distribution):
    import tarfile

    with tarfile.open(source_distribution) as archive:
        names = [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]
    assert {f"models/default/{path.name}" for path in MODEL.iterdir() if path.is_file()} <= set(names)
    assert "pyproject.toml" in names and not [name for name in names if name.startswith("tests/")]
