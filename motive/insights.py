"""Insights across many classified interviews: what customers want, by segment, in themes.

A pure layer over :class:`~motive.results.Result` objects (from ``classify`` or
read back from ``motive classify``'s JSONL):

- **chains** flattened into :class:`ChainView` rows (did the chain reach an
  outcome, its terminal why, driver and discipline, how many whys it took);
- **segments**: for each metadata key (front matter or a ``--metadata`` CSV),
  the share of chains reaching an outcome and the terminal whys' value drivers
  and disciplines per segment, with bootstrap intervals and a permutation test,
  both resampling whole interviews (chains of one interview are not independent);
- **themes** of terminal whys (:mod:`motive.themes`), the **means-end map**
  (:mod:`motive.valuemap`) and **interviewer diagnostics**.

Every object has ``to_dict()`` (JSON-ready); :meth:`Insights.to_frames` gives
pandas DataFrames (``pip install "motive[insights]"``).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from motive.corpus import DISCIPLINES, DRIVERS
from motive.errors import MotiveError
from motive.results import Answer, Result

#: Metadata keys that name or describe a single interview, never a segment.
NOT_SEGMENTS = frozenset({"id", "interviewer", "situation", "file", "source", "date", "name", "title"})
MAX_SEGMENT_VALUES = 8
SIGNIFICANCE = 0.05
RESAMPLES = 1000


# --- chains, flattened --------------------------------------------------------------------------


@dataclass
class ChainView:
    """One why chain with what the insights need to know about it."""

    source: str
    chain: int
    metadata: dict[str, str]
    labels: list[str]  # label of each answer, in order
    reached: bool  # the chain has a terminal why
    whys_to_outcome: int | None  # probes before the first outcome answer; None when none was reached
    what: str  # what they buy (the summary's left side)
    summary: str
    terminal: Answer | None
    outcomes: list[Answer]  # outcome answers before the terminal, in order
    outputs: list[Answer]
    questions: list[str | None]

    @property
    def driver(self) -> str | None:
        return self.terminal.driver if self.terminal else None

    @property
    def discipline(self) -> str | None:
        return self.terminal.discipline if self.terminal else None

    def to_dict(self) -> dict:
        return {
            "source": self.source, "chain": self.chain, "metadata": self.metadata, "labels": self.labels,
            "reached": self.reached, "whys_to_outcome": self.whys_to_outcome, "what": self.what,
            "summary": self.summary, "terminal": self.terminal.evidence if self.terminal else None,
            "driver": self.driver, "discipline": self.discipline,
        }


def chain_views(results: Sequence[Result]) -> list[ChainView]:
    """Every chain of every readable result."""
    views = []
    for result in results:
        if not result.ok:
            continue
        for index, chain in enumerate(result.chains):
            answers = [result.answers[i] for i in chain.answers]
            labels = [a.label for a in answers]
            terminal = result.answers[chain.terminal] if chain.terminal is not None else None
            upto = chain.answers.index(chain.terminal) if chain.terminal is not None else len(answers)
            views.append(
                ChainView(
                    source=result.source,
                    chain=index,
                    metadata=dict(result.metadata),
                    labels=labels,
                    reached=terminal is not None,
                    whys_to_outcome=labels.index("outcome") if terminal is not None else None,
                    what=chain.summary.split(" → ")[0],
                    summary=chain.summary,
                    terminal=terminal,
                    outcomes=[a for a in answers[:upto] if a.label == "outcome"],
                    outputs=[a for a in answers if a.label == "output"],
                    questions=[a.question for a in answers],
                )
            )
    return views


# --- shares, intervals and tests ----------------------------------------------------------------


@dataclass
class Share:
    """``count`` of ``total``, with a 95% bootstrap interval over interviews."""

    value: str
    count: int
    total: int
    share: float
    low: float
    high: float

    def to_dict(self) -> dict:
        return asdict(self)


def interview_counts(views: Sequence[ChainView], category, values: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Per interview, the count of its chains in each of ``values`` (``category(view)`` → value or None)."""
    sources = list(dict.fromkeys(v.source for v in views))
    counts = np.zeros((len(sources), len(values)), dtype=float)
    row = {s: i for i, s in enumerate(sources)}
    for view in views:
        value = category(view)
        if value in values:
            counts[row[view.source], list(values).index(value)] += 1
    return sources, counts


def shares(counts: np.ndarray, values: Sequence[str], *, seed: int = 0) -> list[Share]:
    """Share of each value among the counted chains, with a percentile bootstrap over interviews (rows)."""
    totals = counts.sum(axis=0)
    total = float(totals.sum())
    if len(counts) == 0 or total == 0:
        return [Share(v, 0, 0, 0.0, 0.0, 0.0) for v in values]
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(counts), size=(RESAMPLES, len(counts)))
    resampled = counts[picks].sum(axis=1)  # resamples × values
    sums = resampled.sum(axis=1, keepdims=True)
    ratios = np.divide(resampled, sums, out=np.zeros_like(resampled), where=sums > 0)
    low, high = np.percentile(ratios, [2.5, 97.5], axis=0)
    return [
        Share(v, int(c), int(total), round(c / total, 4), round(float(lo), 4), round(float(hi), 4))
        for v, c, lo, hi in zip(values, totals, low, high)
    ]


def chi_square(table: np.ndarray) -> float:
    """Pearson's chi-square statistic of a groups × values table (empty rows and columns dropped)."""
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if table.shape[0] < 2 or table.shape[1] < 2:
        return 0.0
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    return float(((table - expected) ** 2 / expected).sum())


def permutation_p(counts: np.ndarray, groups: np.ndarray, *, permutations: int = 999, seed: int = 0) -> tuple[float, float]:
    """Chi-square statistic of groups × values and its permutation p-value.

    Rows are interviews; their group labels are shuffled, so an interview's chains
    move together and the test does not treat them as independent.
    """
    names, codes = np.unique(groups, return_inverse=True)
    member = np.eye(len(names))[codes]  # interviews × groups
    observed = chi_square(member.T @ counts)
    rng = np.random.default_rng(seed)
    shuffled = np.stack([rng.permutation(len(codes)) for _ in range(permutations)])
    tables = np.einsum("png,nv->pgv", member[shuffled], counts)  # permutations × groups × values
    beaten = sum(chi_square(table) >= observed - 1e-9 for table in tables)
    return round(observed, 4), round((beaten + 1) / (permutations + 1), 4)


# --- segments -----------------------------------------------------------------------------------


@dataclass
class SegmentGroup:
    """One segment value (e.g. ``market: consumer``)."""

    value: str
    interviews: int
    chains: int
    reached: Share  # share of chains that reached an outcome
    drivers: list[Share]  # among its terminal whys
    disciplines: list[Share]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SegmentTest:
    """Do the segments differ in ``measure``? Permutation test of the chi-square statistic over interviews."""

    measure: str  # "reached" | "driver" | "discipline"
    statistic: float
    p_value: float
    significant: bool

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SegmentComparison:
    """The segments of one metadata key compared."""

    key: str
    groups: list[SegmentGroup]
    tests: list[SegmentTest]
    findings: list[str]  # one sentence per difference that holds

    def to_dict(self) -> dict:
        return asdict(self)


MEASURES = {
    "reached": (lambda v: "reached" if v.reached else "not reached", ("reached", "not reached")),
    "driver": (lambda v: v.driver, DRIVERS),
    "discipline": (lambda v: v.discipline, DISCIPLINES),
}


def segment_keys(views: Sequence[ChainView]) -> list[str]:
    """Metadata keys worth comparing: 2 to 8 values, each value held by at least two interviews."""
    by_key: dict[str, Counter] = {}
    seen = set()
    for view in views:
        if view.source in seen:
            continue
        seen.add(view.source)
        for key, value in view.metadata.items():
            by_key.setdefault(key, Counter())[value] += 1
    return [
        key for key, values in by_key.items()
        if key.lower() not in NOT_SEGMENTS and 2 <= len(values) <= MAX_SEGMENT_VALUES and min(values.values()) >= 2
    ]


def compare_segments(views: Sequence[ChainView], key: str, *, seed: int = 0) -> SegmentComparison:
    """Reached share, drivers and disciplines of each value of ``key``, and whether they differ."""
    keyed = [v for v in views if v.metadata.get(key)]
    values = sorted({v.metadata[key] for v in keyed})
    groups = []
    for value in values:
        members = [v for v in keyed if v.metadata[key] == value]
        groups.append(
            SegmentGroup(
                value=value,
                interviews=len({v.source for v in members}),
                chains=len(members),
                reached=shares(interview_counts(members, *MEASURES["reached"])[1], MEASURES["reached"][1], seed=seed)[0],
                drivers=shares(interview_counts(members, *MEASURES["driver"])[1], DRIVERS, seed=seed),
                disciplines=shares(interview_counts(members, *MEASURES["discipline"])[1], DISCIPLINES, seed=seed),
            )
        )
    tests = []
    for measure, (category, categories) in MEASURES.items():
        sources, counts = interview_counts(keyed, category, categories)
        group_of = {v.source: v.metadata[key] for v in keyed}
        statistic, p = permutation_p(counts, np.asarray([group_of[s] for s in sources]), seed=seed)
        tests.append(SegmentTest(measure, statistic, p, p < SIGNIFICANCE))
    return SegmentComparison(key, groups, tests, _findings(key, groups, tests))


def _findings(key: str, groups: Sequence[SegmentGroup], tests: Sequence[SegmentTest]) -> list[str]:
    """One sentence per significant test: each segment's leading value, with its interval."""
    findings = []
    for test in tests:
        if not test.significant:
            continue
        parts = []
        for group in groups:
            if test.measure == "reached":
                best = group.reached
            else:
                candidates = group.drivers if test.measure == "driver" else group.disciplines
                best = max(candidates, key=lambda s: s.share)
            if best.total:
                parts.append(f"{group.value}: {best.value} {best.share:.0%} [{best.low:.0%}–{best.high:.0%}]")
        findings.append(f"{key} — {test.measure} differs between segments (p={test.p_value:.3f}): " + "; ".join(parts))
    return findings


# --- interviewer diagnostics --------------------------------------------------------------------

_WH = re.compile(r"\b(why|what|how|which|who|whom|where|when|tell me|talk me|walk me|describe)\b", re.IGNORECASE)
_YES_NO_START = re.compile(
    r"^\W*(and |but |so )?(is|isn't|was|wasn't|are|aren't|were|does|doesn't|did|didn't|do|don't|would|wouldn't|"
    r"could|couldn't|will|won't|has|hasn't|have|haven't|can|can't|should)\b",
    re.IGNORECASE,
)
_SUMMARY_START = re.compile(r"^\W*(and )?so\b|^\W*(i guess|i imagine|i assume|i suppose|surely|presumably|sounds like)\b", re.IGNORECASE)
_SUGGESTION = re.compile(
    r"\b(because|about|to do with|so that|so you|mean|means|matter|safety|safe|risk|money|cost|cheaper|save|time|"
    r"stress|worr\w*|feel|customers?|sales|revenue|family|kids)\b",
    re.IGNORECASE,
)
_OPEN_YES_NO = re.compile(r"\b(anything|something) else\b|\bany other\b", re.IGNORECASE)
_TAG_END = re.compile(r"\b(right|correct|yes|yeah|no|isn't it|wasn't it|don't you|didn't it|true)\W*$", re.IGNORECASE)


def leading_reason(question: str | None) -> str | None:
    """Why a question looks leading, or None.

    A heuristic (its agreement with the corpus's ``leading`` flags is in
    BENCHMARKS.md): a question that offers its own answer — a summary
    ("So it's about the money."), a yes/no suggestion ("Is it the price?"), a
    tag ("…, right?") — or that asks two things at once.
    """
    if not question:
        return None
    text = question.strip()
    if text.count("?") >= 2 and len(re.findall(r"[^?]{12,}\?", text)) >= 2:
        return "asks two things at once"
    if _WH.search(text):
        return None
    if _TAG_END.search(text.rstrip("?. ")):
        return "ends with a tag that invites agreement"
    if _SUMMARY_START.search(text):
        return "puts an answer in the respondent's mouth"
    if _YES_NO_START.search(text) and " or " in text:
        return "offers the answers to choose from"
    if _YES_NO_START.search(text) and _SUGGESTION.search(text) and not _OPEN_YES_NO.search(text):
        return "a yes/no question that suggests the answer"
    return None


@dataclass
class Diagnostics:
    """How the interviews went: where chains stopped, how deep the whys went, leading questions."""

    chains: int
    reached: int
    stopped_at_output: list[dict]  # chains whose last labelled answer is output and that never reached an outcome
    stopped_elsewhere: int  # chains without an outcome that end on small talk or no answer
    whys_to_outcome: dict[int, int]  # probes before the first outcome → chains
    mean_whys_to_outcome: float | None
    leading_questions: list[dict]

    def to_dict(self) -> dict:
        return asdict(self)


def diagnose(views: Sequence[ChainView]) -> Diagnostics:
    """Interviewer diagnostics over every chain."""
    stopped = [v for v in views if not v.reached]
    at_output = [v for v in stopped if "output" in v.labels and [l for l in v.labels if l != "none"][-1] == "output"]
    whys = [v.whys_to_outcome for v in views if v.whys_to_outcome is not None]
    leading = []
    for view in views:
        for position, question in enumerate(view.questions):
            reason = leading_reason(question)
            if reason:
                leading.append({"source": view.source, "chain": view.chain, "position": position, "question": question, "reason": reason})
    return Diagnostics(
        chains=len(views),
        reached=sum(v.reached for v in views),
        stopped_at_output=[{"source": v.source, "chain": v.chain, "summary": v.summary, "answers": len(v.labels)} for v in at_output],
        stopped_elsewhere=len(stopped) - len(at_output),
        whys_to_outcome=dict(sorted(Counter(whys).items())),
        mean_whys_to_outcome=round(float(np.mean(whys)), 3) if whys else None,
        leading_questions=leading,
    )


# --- metadata from a CSV ------------------------------------------------------------------------

FILE_COLUMNS = ("file", "source", "path", "transcript", "id")


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """Rows of a metadata CSV keyed by the file they describe (column ``file``, ``source``, ``path``, ``transcript`` or ``id``)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as stream:
            rows = list(csv.DictReader(stream))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise MotiveError(f"{path}: cannot read the metadata CSV ({type(error).__name__})") from None
    columns = rows[0].keys() if rows else []
    key = next((c for c in FILE_COLUMNS if c in columns), None)
    if key is None:
        raise MotiveError(f"{path}: the metadata CSV needs a column naming the transcript file: one of {', '.join(FILE_COLUMNS)}")
    return {row[key].strip(): {k: (v or "").strip() for k, v in row.items() if k != key and k} for row in rows if row.get(key)}


def attach_metadata(results: Sequence[Result], table: dict[str, dict[str, str]]) -> list[str]:
    """Add each result's CSV row to its metadata (the CSV wins); returns the CSV keys that matched no result.

    A row matches a result by its full source path, its file name, or its file name without extension.
    """
    used = set()
    for result in results:
        path = Path(result.source)
        for candidate in (result.source, path.name, path.stem):
            if candidate in table:
                result.metadata.update(table[candidate])
                used.add(candidate)
                break
    return sorted(set(table) - used)


# --- everything together ------------------------------------------------------------------------


@dataclass
class Insights:
    """The insights of a set of interviews. ``to_dict()`` for JSON, ``to_frames()`` for pandas."""

    interviews: int
    chains: int
    reached: Share
    drivers: list[Share]  # of the terminal whys, all interviews
    disciplines: list[Share]
    segments: list[SegmentComparison]
    themes: list  # motive.themes.Theme, terminal whys
    value_map: object | None  # motive.valuemap.ValueMap
    diagnostics: Diagnostics
    chain_rows: list[ChainView] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "interviews": self.interviews,
            "chains": self.chains,
            "reached": self.reached.to_dict(),
            "drivers": [s.to_dict() for s in self.drivers],
            "disciplines": [s.to_dict() for s in self.disciplines],
            "segments": [s.to_dict() for s in self.segments],
            "themes": [t.to_dict() for t in self.themes],
            "value_map": self.value_map.to_dict() if self.value_map is not None else None,
            "diagnostics": self.diagnostics.to_dict(),
            "chain_rows": [v.to_dict() for v in self.chain_rows],
        }

    def to_frames(self) -> dict:
        """pandas DataFrames: ``chains``, ``segments``, ``tests``, ``themes``, ``links``, ``leading``."""
        pd = _pandas()
        segments = [
            {"key": c.key, "segment": g.value, "interviews": g.interviews, "chains": g.chains, "measure": measure, **s.to_dict()}
            for c in self.segments
            for g in c.groups
            for measure, items in (("reached", [g.reached]), ("driver", g.drivers), ("discipline", g.disciplines))
            for s in items
        ]
        tests = [{"key": c.key, **t.to_dict()} for c in self.segments for t in c.tests]
        themes = [{"theme": i, "name": t.name, "count": t.count, "interviews": t.sources, "quote": t.quotes[0] if t.quotes else ""}
                  for i, t in enumerate(self.themes)]
        chains = [{k: v for k, v in row.to_dict().items() if k != "metadata"} | row.metadata for row in self.chain_rows]
        return {
            "chains": pd.DataFrame(chains),
            "segments": pd.DataFrame(segments),
            "tests": pd.DataFrame(tests),
            "themes": pd.DataFrame(themes),
            "links": pd.DataFrame(self.value_map.to_dict()["links"] if self.value_map is not None else []),
            "leading": pd.DataFrame(self.diagnostics.leading_questions),
        }


def _pandas():
    try:
        import pandas
    except ImportError:
        raise MotiveError('DataFrames need pandas: pip install "motive[insights]"') from None
    return pandas


def build_insights(
    results: Sequence[Result],
    *,
    embedder=None,
    segment_by: Sequence[str] | None = None,
    distance: float | None = None,
    cutoff: int = 2,
    seed: int = 0,
) -> Insights:
    """Insights of classified interviews.

    ``embedder`` (e.g. ``model.embedder``) is needed for themes and the means-end
    map; without it both are left empty. ``segment_by``: metadata keys to compare
    (default: every key with 2–8 values, each held by two interviews or more).
    ``cutoff``: links of the value map seen in fewer chains are left out.
    """
    from motive.themes import DEFAULT_DISTANCE

    views = chain_views(results)
    keys = list(segment_by) if segment_by is not None else segment_keys(views)
    themes, value_map = [], None
    if embedder is not None:
        themes, value_map = theme_layer(views, MemoEmbedder(embedder), distance or DEFAULT_DISTANCE, cutoff)
    return Insights(
        interviews=sum(r.ok for r in results),
        chains=len(views),
        reached=shares(interview_counts(views, *MEASURES["reached"])[1], MEASURES["reached"][1], seed=seed)[0],
        drivers=shares(interview_counts(views, *MEASURES["driver"])[1], DRIVERS, seed=seed),
        disciplines=shares(interview_counts(views, *MEASURES["discipline"])[1], DISCIPLINES, seed=seed),
        segments=[compare_segments(views, key, seed=seed) for key in keys],
        themes=themes,
        value_map=value_map,
        diagnostics=diagnose(views),
        chain_rows=list(views),
    )


class MemoEmbedder:
    """Embeds each distinct text once, however often themes, map and gap ask for it."""

    def __init__(self, embedder):
        self.embedder, self.dimension = embedder, embedder.dimension
        self._vectors: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if new:
            self._vectors.update(zip(new, np.asarray(self.embedder.embed(new))))
        return np.stack([self._vectors[t] for t in texts]) if texts else np.zeros((0, self.dimension), dtype=np.float32)


def theme_layer(views: Sequence[ChainView], embedder, distance: float, cutoff: int):
    """Themes of the terminal whys, and the means-end map built on themes of all answers."""
    from motive.themes import find_themes
    from motive.valuemap import build_value_map

    reached = [v for v in views if v.terminal is not None]
    texts = [v.terminal.evidence for v in reached]
    vectors = np.asarray(embedder.embed(texts)) if texts else np.zeros((0, embedder.dimension))
    themes, assignment = find_themes(texts, vectors, sources=[v.source for v in reached], distance=distance)
    for theme in themes:
        members = [reached[i] for i in theme.members]
        theme.extra = {
            "drivers": dict(Counter(v.driver for v in members if v.driver).most_common()),
            "disciplines": dict(Counter(v.discipline for v in members if v.discipline).most_common()),
        }
    return themes, build_value_map(views, embedder, distance=distance, cutoff=cutoff)


# --- reading inputs -----------------------------------------------------------------------------


def read_results_jsonl(path: Path) -> list[Result]:
    """Results written by ``motive classify`` (JSONL, one record per transcript; ``-f json`` lists work too)."""
    import json

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise MotiveError(f"{path}: cannot read the results file ({type(error).__name__})") from None
    stripped = text.lstrip()
    try:
        if stripped.startswith("["):
            records = json.loads(stripped)
        else:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        return [Result.from_dict(record) for record in records]
    except (json.JSONDecodeError, TypeError, AttributeError) as error:
        raise MotiveError(f"{path}: not a motive results file ({type(error).__name__}); write one with 'motive classify -o FILE.jsonl'") from None


def is_results_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in (".jsonl", ".json")


def load_results(paths: Sequence[Path], model, *, metadata: Path | None = None) -> tuple[list[Result], list[str]]:
    """Results of ``paths``: ``motive classify`` JSONL files read back, transcripts (files, folders) classified.

    Returns the readable results and one problem line per file that was skipped.
    ``metadata``: a CSV whose rows are added to the matching results' metadata.
    """
    from motive.pipeline import classify_many
    from motive.transcripts import find_transcripts

    results: list[Result] = []
    for path in paths:
        if is_results_file(path):
            results += read_results_jsonl(path)
    transcripts = find_transcripts([p for p in paths if not is_results_file(p)])
    if transcripts:
        results += list(classify_many(transcripts, model=model))
    problems = [f"skipped {r.source}: {r.error}" for r in results if not r.ok]
    if metadata is not None:
        unmatched = attach_metadata(results, read_metadata(metadata))
        if unmatched:
            problems.append(f"{metadata}: {len(unmatched)} rows match no transcript (e.g. {unmatched[0]!r})")
    return [r for r in results if r.ok], problems


# --- as text ------------------------------------------------------------------------------------


def _share_line(items: Sequence[Share]) -> str:
    return ", ".join(f"{s.value} {s.share:.0%} [{s.low:.0%}–{s.high:.0%}]" for s in items if s.count)


def format_insights(insights: Insights, *, themes: int = 10) -> str:
    """A plain-text summary for the terminal."""
    r = insights.reached
    lines = [
        f"{insights.interviews} interviews, {insights.chains} chains; {r.count} reached an outcome "
        f"({r.share:.0%}, 95% interval {r.low:.0%}–{r.high:.0%})",
        f"Terminal-why value drivers: {_share_line(insights.drivers) or '—'}",
        f"Terminal-why value disciplines: {_share_line(insights.disciplines) or '—'}",
    ]
    for comparison in insights.segments:
        lines.append(f"\nSegments by {comparison.key}:")
        for g in comparison.groups:
            top_driver = max(g.drivers, key=lambda s: s.share)
            top_discipline = max(g.disciplines, key=lambda s: s.share)
            lines.append(
                f"  {g.value:<16} {g.interviews:>3} interviews {g.chains:>4} chains  reached {g.reached.share:.0%}  "
                f"driver {top_driver.value} {top_driver.share:.0%}  discipline {top_discipline.value} {top_discipline.share:.0%}"
            )
        lines.append("  tests: " + "; ".join(f"{t.measure} p={t.p_value:.3f}{' *' if t.significant else ''}" for t in comparison.tests))
        lines += [f"  finding: {f}" for f in comparison.findings]
    if insights.themes:
        lines.append("\nThemes of the terminal whys:")
        for theme in insights.themes[:themes]:
            lines.append(f"  {theme.count:>4}  {theme.name}: \"{theme.quotes[0]}\"")
    d = insights.diagnostics
    lines += [
        "\nInterviewer diagnostics:",
        f"  chains that stopped at output level: {len(d.stopped_at_output)}; ended without an outcome otherwise: {d.stopped_elsewhere}",
        f"  whys before the first outcome: {d.whys_to_outcome} (mean {d.mean_whys_to_outcome})",
        f"  questions that look leading: {len(d.leading_questions)}",
    ]
    return "\n".join(lines)
