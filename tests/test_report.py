"""The HTML report: self-contained (no external loads), escaped, and rendered by a real browser.

The browser test needs Debian's ``chromium`` package (``apt-get install -y chromium``);
without it the test is skipped and says so.
"""

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from motive.cli import main
from motive.gap import messaging_gap
from motive.insights import build_insights
from motive.pipeline import classify_many
from motive.report import render_report
from tests.conftest import CORPUS

SECTIONS = ("overview", "segments", "themes", "gap", "value-map", "chains", "diagnostics")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NO_CHROMIUM = "chromium is not installed (Debian: apt-get install -y chromium)"
HOSTILE = "<script>alert('x')</script> <img src=https://example.com/t.png>"


@pytest.fixture(scope="module")
def report_html(small_model):
    results = list(classify_many(sorted(CORPUS.glob("*.txt")), model=small_model))
    first = results[0].answers[results[0].chains[0].answers[0]]
    first.text = first.evidence = HOSTILE  # transcript text must never become markup
    found = build_insights(results, embedder=small_model.embedder, cutoff=1)
    gap = messaging_gap(results, ["Inventory control", "More time with your family"], small_model)
    return render_report(found, results, gap=gap)


def links(html: str) -> list[str]:
    """Every URL-valued attribute of every element (src, href, action, …), as the HTML parser reads them."""
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(v or "" for k, v in attrs if k in ("src", "href", "action", "xlink:href", "data", "poster", "srcset"))

    Parser().feed(html)
    return found


def test_the_report_loads_nothing_from_outside(report_html):
    assert "Content-Security-Policy" in report_html and "default-src 'none'" in report_html
    for external in ("<script", "<link", "<img", "<iframe", "@import", "url("):
        assert external not in report_html, external
    assert [link for link in links(report_html) if not link.startswith("#")] == []
    assert "&lt;script&gt;" in report_html and "&lt;img src=https://example.com/t.png&gt;" in report_html


def test_the_chains_are_listed_by_file_whatever_the_order_named(small_model):
    results = list(classify_many(sorted(CORPUS.glob("*.txt"))[:4], model=small_model))
    found = build_insights(results, embedder=small_model.embedder, cutoff=1)
    html = render_report(found, results)
    assert render_report(found, results[::-1]) == html
    chains = html.split('id="part-chains"')[1].split('id="part-diagnostics"')[0]
    listed = re.findall(r"<details><summary>([^ <]+)", chains)
    assert listed == sorted(str(result.source) for result in results) and len(listed) == 4


def test_the_report_holds_every_section(report_html):
    for section in SECTIONS:
        assert f'id="{section}"' in report_html
    assert report_html.count("<svg") >= 4


def chromium(*arguments, tmp_path):
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_chromium_renders_the_report(report_html, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(report_html, encoding="utf-8")
    dom = chromium("--dump-dom", page.as_uri(), tmp_path=tmp_path).stdout
    assert "<title>Why customers buy</title>" in dom
    for section in SECTIONS:
        assert re.search(rf'<h2 id="{section}">', dom), section
    assert len(re.findall(r"<svg", dom)) >= 4 and "<rect" in dom
    assert "alert('x')</script>" not in dom  # still text, never a script element

    shot = tmp_path / "report.png"
    chromium("--window-size=1200,2000", f"--screenshot={shot}", page.as_uri(), tmp_path=tmp_path)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_the_report_command_writes_one_file(model_folder, tmp_path):
    out = tmp_path / "out" / "report.html"
    messages = tmp_path / "messages.txt"
    messages.write_text("Inventory control\n")
    result = CliRunner().invoke(main, ["report", str(CORPUS), "-o", str(out), "--model", str(model_folder), "--messaging", str(messages)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'id="gap"' in html and "Inventory control" in html
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]
