"""Segments compared: shares with bootstrap intervals and permutation tests, both over interviews.
Segments are groups of interviews by their metadata ("segment: retail"); the sentences of
answers are :mod:`motive.segment`'s.

Chains of one interview are not independent (one buyer, one interviewer), so
every interval resamples whole interviews and every test shuffles the segment
labels of whole interviews.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from motive.labels import DISCIPLINES, DRIVERS
from motive.output import percent

if TYPE_CHECKING:
    from motive.views import ChainView

#: Metadata keys that name or describe a single interview, never a segment.
NOT_SEGMENTS = frozenset({"id", "interviewer", "situation", "file", "source", "date", "name", "title"})
MAX_SEGMENT_VALUES = 8
#: Segments are compared on at most this many themes of terminal whys, each held by two interviews
#: or more; the chains of the other themes count as ``OTHER_THEMES``.
THEMES_COMPARED = 6
OTHER_THEMES = "other themes"
SIGNIFICANCE = 0.05
RESAMPLES = 1000


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
    interviews = int((counts.sum(axis=1) > 0).sum())
    bounds = [wilson(c / total, interviews) for c in totals]
    # The bootstrap collapses where every interview agrees (or there is one): never narrower than Wilson's.
    return [
        Share(v, int(c), int(total), round(float(c / total), 4), round(float(min(lo, w_lo)), 4), round(float(max(hi, w_hi)), 4))
        for v, c, lo, hi, (w_lo, w_hi) in zip(values, totals, low, high, bounds)
    ]


def wilson(share: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson's 95% score interval for a share seen in ``n`` independent observations.

    >>> [round(b, 3) for b in wilson(1.0, 6)]
    [0.61, 1.0]
    """
    if n == 0:
        return 0.0, 1.0
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    spread = z / (1 + z * z / n) * np.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    return max(0.0, float(centre - spread)), min(1.0, float(centre + spread))


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
    themes: list[Share] = field(default_factory=list)  # among its terminal whys; empty when no themes were found

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SegmentTest:
    """Do the segments differ in ``measure``? Permutation test of the chi-square statistic over interviews."""

    measure: str  # "reached" | "driver" | "discipline" | "theme"
    statistic: float
    p_value: float
    significant: bool  # by p_adjusted
    p_adjusted: float | None = None  # Holm's, over every test of the run (see adjust_for_multiple_tests); None: alone

    @property
    def p_shown(self) -> str:
        """The p-value as reports print it: with the adjusted one when there were several tests."""
        if self.p_adjusted is None or self.p_adjusted == self.p_value:
            return f"p={self.p_value:.3f}"
        return f"p={self.p_value:.3f}, {self.p_adjusted:.3f} adjusted"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SegmentComparison:
    """The segments of one metadata key compared."""

    key: str
    groups: list[SegmentGroup]
    tests: list[SegmentTest]
    findings: list[str]  # one sentence per difference that holds
    without_value: int = 0  # interviews left out of the comparison: they have no value for the key

    def to_dict(self) -> dict:
        return asdict(self)


MEASURES = {
    "reached": (lambda v: "reached" if v.reached else "not reached", ("reached", "not reached")),
    "driver": (lambda v: v.driver, DRIVERS),
    "discipline": (lambda v: v.discipline, DISCIPLINES),
}


def compared_themes(views: Sequence[ChainView]) -> tuple[str, ...]:
    """The themes segments are compared on: the largest ``THEMES_COMPARED`` themes of terminal whys
    said in two interviews or more, and ``OTHER_THEMES`` for the rest; none when that leaves fewer
    than two to tell apart.

    >>> from types import SimpleNamespace as View
    >>> compared_themes([View(theme=t, source=s) for t, s in [("a", 1), ("a", 2), ("b", 1), ("b", 3), ("c", 4)]])
    ('a', 'b', 'other themes')
    """
    chains: Counter = Counter()
    interviews: dict[str, set] = {}
    for view in views:
        if view.theme is not None:
            chains[view.theme] += 1
            interviews.setdefault(view.theme, set()).add(view.source)
    shared = [theme for theme, _ in chains.most_common() if len(interviews[theme]) >= 2][:THEMES_COMPARED]
    values = tuple(shared) + ((OTHER_THEMES,) if len(shared) < len(chains) else ())
    return values if len(values) >= 2 else ()


def theme_measure(themes: Sequence[str]):
    """``MEASURES``' kind of (category, values) for the themes :func:`compared_themes` chose."""
    named = set(themes) - {OTHER_THEMES}
    return (lambda v: None if v.theme is None else v.theme if v.theme in named else OTHER_THEMES), tuple(themes)


def one_spelling_per_value(views: Sequence[ChainView]) -> None:
    """Metadata values that differ only in case or spacing ("Gold", "GOLD ", "gold") become one
    segment, under the spelling most interviews use (the first met on a tie); in place."""
    def written_alike(value: str) -> str:
        return " ".join(str(value).split()).casefold()

    spellings: dict[tuple[str, str], Counter] = {}
    for metadata in _each_interviews_metadata(views):
        for key, value in metadata.items():
            spellings.setdefault((key, written_alike(value)), Counter())[value] += 1
    chosen = {group: counts.most_common(1)[0][0] for group, counts in spellings.items()}
    for view in views:
        view.metadata = {key: chosen[key, written_alike(value)] for key, value in view.metadata.items()}


def _each_interviews_metadata(views: Sequence[ChainView]) -> Iterator[dict[str, str]]:
    """The metadata of each interview once (its chains share it)."""
    seen = set()
    for view in views:
        if view.source not in seen:
            seen.add(view.source)
            yield view.metadata


def key_verdicts(views: Sequence[ChainView]) -> dict[str, str | None]:
    """Each metadata key of the interviews, with why it is not compared (None: it is worth comparing:
    2 to 8 values, each held by at least two interviews). Keys that name or date an interview
    (``NOT_SEGMENTS``) are never segments and are left out."""
    by_key: dict[str, Counter] = {}
    for metadata in _each_interviews_metadata(views):
        for key, value in metadata.items():
            if key.lower() in NOT_SEGMENTS:
                continue
            counts = by_key.setdefault(key, Counter())
            if str(value).strip():  # a blank cell is no value
                counts[value] += 1
    return {key: _not_compared(key, values) for key, values in by_key.items()}


def _not_compared(key: str, values: Counter) -> str | None:
    """Why a key is not a segment key, or None.

    >>> _not_compared("deal", Counter({"won": 3, "lost": 1}))
    "a value held by one interview ('lost')"
    """
    if not values:
        return "no values"
    if len(values) < 2:
        return "one value only"
    if len(values) > MAX_SEGMENT_VALUES:
        return f"{len(values)} values, more than {MAX_SEGMENT_VALUES}"
    single = sorted(value for value, count in values.items() if count < 2)
    if single:
        return f"a value held by one interview ({single[0]!r})" if len(single) == 1 else f"{len(single)} values held by one interview each"
    return None


def compare_segments(views: Sequence[ChainView], key: str, *, seed: int = 0, themes: Sequence[str] = ()) -> SegmentComparison:
    """Reached share, drivers and disciplines of each value of ``key``, and the themes of its
    terminal whys when ``themes`` are given (see :func:`compared_themes`), and whether they differ."""
    measures = dict(MEASURES) | ({"theme": theme_measure(themes)} if themes else {})
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
                themes=shares(interview_counts(members, *measures["theme"])[1], themes, seed=seed) if themes else [],
            )
        )
    tests = []
    for measure, (category, categories) in measures.items():
        sources, counts = interview_counts(keyed, category, categories)
        group_of = {v.source: v.metadata[key] for v in keyed}
        statistic, p = permutation_p(counts, np.asarray([group_of[s] for s in sources]), seed=seed)
        tests.append(SegmentTest(measure, statistic, p, p < SIGNIFICANCE))
    unkeyed = len({v.source for v in views} - {v.source for v in keyed})
    return SegmentComparison(key, groups, tests, _findings(key, groups, tests), without_value=unkeyed)


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
                candidates = {"driver": group.drivers, "discipline": group.disciplines, "theme": group.themes}[test.measure]
                best = max(candidates, key=lambda s: s.share)
            if best.total:
                named = f'"{best.value}"' if test.measure == "theme" else best.value
                parts.append(f"{group.value}: {named} {percent(best.share)} [{percent(best.low)}–{percent(best.high)}]")
        findings.append(f"{key} — {test.measure} differs between segments ({test.p_shown}): " + "; ".join(parts))
    return findings


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment of ``p_values`` for testing them all at once.

    >>> holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [0.0] * len(p_values)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[index]))
        adjusted[index] = round(running, 10)
    return adjusted


def adjust_for_multiple_tests(comparisons: Sequence[SegmentComparison]) -> list[SegmentComparison]:
    """The comparisons with every test judged by its Holm-adjusted p-value over all of them:
    three or four measures (four with themes) for each of several keys make a chance difference likely somewhere,
    and a finding is reported only where the difference holds after the adjustment."""
    adjusted = iter(holm([t.p_value for c in comparisons for t in c.tests]))
    judged = []
    for comparison in comparisons:
        tests = [replace(t, p_adjusted=(p := next(adjusted)), significant=p < SIGNIFICANCE) for t in comparison.tests]
        judged.append(replace(comparison, tests=tests, findings=_findings(comparison.key, comparison.groups, tests)))
    return judged
