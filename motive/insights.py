"""Insights across many classified interviews: what customers want, by segment, in themes.

Built from :class:`~motive.results.Result` objects (from ``classify``, or read back
from ``motive classify``'s JSONL by :func:`load_results`, which also classifies
transcripts given beside them and adds a metadata CSV's columns):

- **chains** flattened into :class:`~motive.views.ChainView` rows (did the chain
  reach an outcome, its terminal why, driver and discipline, how many whys it took);
- **segments** (:mod:`motive.comparisons`): for each metadata key (front matter or
  a ``--metadata`` CSV), the share of chains reaching an outcome and the terminal
  whys' value drivers, disciplines and themes per segment, with bootstrap
  intervals and a permutation test, both resampling whole interviews;
- **themes** of terminal whys (:mod:`motive.themes`), the **means-end map**
  (:mod:`motive.valuemap`) and **interviewer diagnostics** (:mod:`motive.diagnostics`).

Every object has ``to_dict()`` (JSON-ready); :meth:`Insights.to_frames` gives
pandas DataFrames (``pip install "motive[insights]"``, or ``pip install -e ".[insights]"`` in a clone).
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from motive.comparisons import (  # noqa: F401  (public here too)
    MEASURES, SegmentComparison, Share, adjust_for_multiple_tests, compare_segments, compared_themes, interview_counts, key_verdicts,
    one_spelling_per_value, permutation_p, shares,
)
from motive.diagnostics import Diagnostics, diagnose, leading_reason  # noqa: F401  (public here too)
from motive.errors import MotiveError
from motive.labels import DISCIPLINES, DRIVERS
from motive.output import counted, percent, printable_lines, results_files_left_out, write_csv_rows
from motive.results import Result, model_described, model_key, models_used
from motive.summary import clipped_quote
from motive.views import ChainView, chain_views, quoted_from, said_by  # noqa: F401  (public here too)

# --- metadata from a CSV ------------------------------------------------------------------------

FILE_COLUMNS = ("file", "source", "path", "transcript", "id")


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """Rows of a metadata CSV keyed by the file they describe (column ``file``, ``source``, ``path``, ``transcript`` or ``id``)."""
    from motive.transcripts import csv_delimiter, read_user_text, sniffed_delimiter

    content = read_user_text(path, "metadata CSV")
    try:
        delimiter = csv_delimiter(content, lambda names: bool(names & set(FILE_COLUMNS))) or sniffed_delimiter(content)
        reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter, skipinitialspace=True)
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise MotiveError(f"{path}: cannot read the metadata CSV ({error})") from None
    rows = [(line, {(k.strip() if isinstance(k, str) else k): v for k, v in row.items()}) for line, row in rows]  # "file, segment"
    columns = rows[0][1].keys() if rows else []
    key = next((c for name in FILE_COLUMNS for c in columns if c and c.strip().lower() == name), None)  # "File", as Excel users write it
    if key is None:
        raise MotiveError(f"{path}: the metadata CSV needs a column naming the transcript file: one of {', '.join(FILE_COLUMNS)}")
    table: dict[str, dict[str, str]] = {}
    for line, row in rows:
        if not row.get(key):
            continue
        name, values = row[key].strip(), {k: (v or "").strip() for k, v in row.items() if k != key and k}
        if table.setdefault(name, values) != values:
            raise MotiveError(f"{path}:{line}: a second row for {name!r} says otherwise than the first")
    return table


def fits(key: str, source: str) -> bool:
    """Whether a metadata row's ``key`` names the transcript ``source``: its path as given, its name,
    its name without extension, the end of its path ("batch1/call.txt"), or the same file by
    another path (absolute, "./…").

    >>> [fits(k, "q15/batch1/call.txt") for k in ("call.txt", "call", "batch1/call.txt", "1/call.txt", "other.txt")]
    [True, True, True, False, False]
    """
    return source in _fitting(key, *_naming([source]))


def _naming(sources) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Each way a metadata row may name one of ``sources`` → the sources so named: by name, stem
    or the end of the path (written on Windows too), and by real path."""
    named: dict[str, set[str]] = {}
    real: dict[str, set[str]] = {}
    for source in sources:
        path = Path(source.replace("\\", "/"))
        for form in {source, path.stem, *("/".join(path.parts[i:]) for i in range(len(path.parts)))}:
            named.setdefault(_composed(form), set()).add(source)
        real.setdefault(os.path.realpath(source), set()).add(source)
    return named, real


def _composed(name: str) -> str:
    """A name with its accents composed (NFC): macOS writes "café" decomposed, most CSVs composed."""
    return unicodedata.normalize("NFC", name)


def _fitting(key: str, named: dict[str, set[str]], real: dict[str, set[str]]) -> list[str]:
    """The sources a row's ``key`` names: the file whose path it gives exactly (as given, or another
    path to it), alone; else every file whose path ends so, or whose name or stem it is."""
    given = key.strip()
    exact = {s for s in named.get(_composed(given), set()) if _composed(s) == _composed(given)}
    exact |= real.get(os.path.realpath(given), set()) if "/" in given else set()
    written = _composed(given).replace("\\", "/")
    while written.startswith("./"):
        written = written[2:]
    return sorted(exact or named.get(written, set()))


def attach_metadata(results: Sequence[Result], table: dict[str, dict[str, str]], *, where: str = "the metadata") -> list[str]:
    """Add each result's CSV row to its metadata (the CSV wins); returns the CSV keys that matched no result.

    A row matches a result as :func:`fits` says: by its path, the end of its path, its file name,
    or its file name without extension. Two rows that match one result (``calls/a.txt`` and ``a``)
    must agree, and a row must not match two files (a name alone, two folders).
    """
    used = set()
    naming = _naming({result.source for result in results})
    fitting_of = {key: _fitting(key, *naming) for key in table}
    for key, fitting in fitting_of.items():
        if len(fitting) > 1:
            raise MotiveError(f"{where}: the row {key!r} could describe {fitting[0]} or {fitting[1]}: "
                              "name the file with its folder (batch1/call.txt)")
    keys_of: dict[str, list[str]] = {}
    for key, fitting in fitting_of.items():
        for source in fitting:
            keys_of.setdefault(source, []).append(key)
    for result in results:
        matching = keys_of.get(result.source, [])
        for key in matching[1:]:
            if table[key] != table[matching[0]]:
                raise MotiveError(f"{where}: the rows for {matching[0]!r} and {key!r} both describe {result.source} and disagree")
        if matching:
            row = table[matching[0]]
            written = {key.casefold() for key in row}  # the CSV's "Deal" replaces the front matter's "deal"
            result.metadata = {k: v for k, v in result.metadata.items() if k.casefold() not in written} | row
            used.update(matching)
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
    #: Metadata keys left out of the segments, with why (keys that name or date an interview not listed).
    keys_not_compared: dict[str, str] = field(default_factory=dict)
    #: The models that labelled the interviews (``Result.model``; None where the results record
    #: none), each with how many interviews it labelled, the commonest first.
    models: list[tuple[dict | None, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "interviews": self.interviews,
            "models": [{"model": identity, "interviews": count} for identity, count in self.models],
            "chains": self.chains,
            "reached": self.reached.to_dict(),
            "drivers": [s.to_dict() for s in self.drivers],
            "disciplines": [s.to_dict() for s in self.disciplines],
            "segments": [s.to_dict() for s in self.segments],
            "keys_not_compared": self.keys_not_compared,
            "themes": [t.to_dict() for t in self.themes],
            "value_map": self.value_map.to_dict() if self.value_map is not None else None,
            "diagnostics": self.diagnostics.to_dict(),
            "chain_rows": [v.to_dict() for v in self.chain_rows],
        }

    def chain_table(self) -> list[dict]:
        """One row per chain: where it was said, what was bought, its terminal why, driver,
        discipline and theme, and its interview's metadata, a column per key."""
        return [_with_metadata({k: v for k, v in row.to_dict().items() if k != "metadata"}, row.metadata) for row in self.chain_rows]

    def write_chains_csv(self, stream, *, byte_order_mark: bool = False) -> None:
        """:meth:`chain_table` as CSV, for a spreadsheet: motive's columns, then the metadata keys in
        alphabetical order, whichever interviews are in it (a cell left empty where a key is
        missing). ``byte_order_mark``: begin with one, as motive does in a file for Excel."""
        rows = self.chain_table()
        write_csv_rows(stream, chain_columns(rows), ({key: _cell(value) for key, value in row.items()} for row in rows),
                       byte_order_mark=byte_order_mark)

    def to_frames(self) -> dict:
        """pandas DataFrames: ``chains``, ``segments``, ``tests``, ``themes``, ``links``, ``leading``."""
        pd = _pandas()
        segments = [
            {"key": c.key, "segment": g.value, "interviews": g.interviews, "chains": g.chains, "measure": measure, **s.to_dict()}
            for c in self.segments
            for g in c.groups
            for measure, items in (("reached", [g.reached]), ("driver", g.drivers), ("discipline", g.disciplines), ("theme", g.themes))
            for s in items
        ]
        tests = [{"key": c.key, **t.to_dict()} for c in self.segments for t in c.tests]
        themes = [{"theme": i, "name": t.name, "count": t.count, "interviews": t.sources, "quote": t.quotes[0] if t.quotes else "",
                   "quoted_from": quoted_from(t)} for i, t in enumerate(self.themes)]
        chains = self.chain_table()
        return {
            "chains": pd.DataFrame(chains, columns=chain_columns(chains)),
            "segments": pd.DataFrame(segments),
            "tests": pd.DataFrame(tests),
            "themes": pd.DataFrame(themes),
            "links": pd.DataFrame(self.value_map.to_dict()["links"] if self.value_map is not None else []),
            "leading": pd.DataFrame(self.diagnostics.leading_questions),
        }


def chain_columns(rows: list[dict]) -> list[str]:
    """The chain table's columns: motive's, then the metadata keys in alphabetical order, case aside.

    >>> chain_columns([{"source": "a.txt", "chain": 0, "zone": "N", "Buyer": "x"}])[-2:]
    ['Buyer', 'zone']
    """
    metadata = {key for row in rows for key in row} - {"source", "chain", *CHAIN_COLUMNS}
    return ["source", "chain", *CHAIN_COLUMNS, *sorted(metadata, key=lambda key: (key.casefold(), key))]


def _cell(value) -> object:
    """A CSV cell: empty for None, a chain's labels in order as ``output → outcome``."""
    if value is None:
        return ""
    return " → ".join(map(str, value)) if isinstance(value, list) else value


#: The chain table's columns after ``source`` and ``chain``, before the metadata's.
CHAIN_COLUMNS = ("reached", "whys_to_outcome", "what", "summary", "terminal", "driver", "discipline", "theme", "labels")


def _with_metadata(row: dict, metadata: dict) -> dict:
    """A chain's columns and its metadata's; a metadata key that is also a column's name (``theme``)
    gets its own column, ``metadata theme``, instead of replacing motive's."""
    return row | {f"metadata {key}" if key in row else key: value for key, value in metadata.items()}


def _pandas():
    try:
        import pandas
    except ImportError:
        raise MotiveError("DataFrames need pandas: pip install 'motive[insights]' (in a clone of motive: pip install -e '.[insights]')") from None
    return pandas


def _as_result(record: Result | dict) -> Result:
    if isinstance(record, Result):
        return record
    if isinstance(record, dict):
        return Result.from_dict(record)
    raise TypeError(f"build_insights() takes Result objects or the dicts motive classify writes, not {type(record).__name__}: "
                    f"{record!r:.60} (motive.insights.read_results_jsonl reads a results file)")


def build_insights(
    results: Iterable[Result | dict],
    *,
    embedder=None,
    segment_by: Sequence[str] | None = None,
    distance: float | None = None,
    cutoff: int = 2,
    seed: int = 0,
) -> Insights:
    """Insights of classified interviews: :class:`Result` objects, or their ``to_dict()``
    records as ``motive classify`` writes them.

    ``embedder`` (e.g. ``model.embedder``) is needed for themes and the means-end
    map; without it both are left empty. ``segment_by``: metadata keys to compare
    (default: every key with 2–8 values, each held by two interviews or more).
    ``cutoff``: links of the value map seen in fewer chains are left out.
    """
    from motive.model import EmbeddingCache
    from motive.themes import DEFAULT_DISTANCE

    # classify_many streams: read it once, count it and look into it
    results = [_as_result(r) for r in results]
    views = chain_views(results)
    one_spelling_per_value(views)
    verdicts = key_verdicts(views)
    known = {key for view in views for key in view.metadata}
    spelled = {key.casefold(): key for key in sorted(known)}  # --by Deal finds the key deal
    if segment_by is not None:
        segment_by = [spelled.get(key.casefold(), key) for key in segment_by]
    keys = list(dict.fromkeys(segment_by)) if segment_by is not None else [key for key, reason in verdicts.items() if reason is None]
    not_compared = {} if segment_by is not None else {key: reason for key, reason in verdicts.items() if reason is not None}
    missing = [key for key in keys if key not in known]
    if missing:
        raise MotiveError(f"no transcript has the metadata key {missing[0]!r}; keys found: {', '.join(sorted(known)) or 'none'}")
    if segment_by is not None:  # asked for, but nothing to compare: said, not tested
        nothing = {key: verdicts[key] for key in keys if verdicts.get(key) in ("one value only", "no values")}
        keys = [key for key in keys if key not in nothing]
        not_compared.update(nothing)
    themes, value_map = [], None
    if embedder is not None:  # before the segments, which compare the themes too
        vectors = embedder if isinstance(embedder, EmbeddingCache) else EmbeddingCache(embedder)
        themes, value_map = theme_layer(views, vectors, distance or DEFAULT_DISTANCE, cutoff)
    compared = compared_themes(views)
    return Insights(
        interviews=sum(r.ok for r in results),
        chains=len(views),
        reached=shares(interview_counts(views, *MEASURES["reached"])[1], MEASURES["reached"][1], seed=seed)[0],
        drivers=shares(interview_counts(views, *MEASURES["driver"])[1], DRIVERS, seed=seed),
        disciplines=shares(interview_counts(views, *MEASURES["discipline"])[1], DISCIPLINES, seed=seed),
        segments=adjust_for_multiple_tests([compare_segments(views, key, seed=seed, themes=compared) for key in keys]),
        themes=themes,
        value_map=value_map,
        diagnostics=diagnose(views),
        chain_rows=list(views),
        keys_not_compared=not_compared,
        models=models_used(results),
    )


def theme_layer(views: Sequence[ChainView], embedder, distance: float, cutoff: int):
    """Themes of the terminal whys (each view that reached one learns its theme's name), and the
    means-end map built on themes of all answers."""
    from motive.themes import find_themes
    from motive.valuemap import build_value_map

    reached = [v for v in views if v.terminal is not None]
    texts = [v.terminal.text for v in reached]  # the whole answer: its evidence sentence alone can be "Exactly, keeping them."
    vectors = np.asarray(embedder.embed(texts)) if texts else np.zeros((0, embedder.dimension))
    themes, assignment = find_themes(texts, vectors, sources=[v.source for v in reached], distance=distance)
    for theme, name in zip(themes, theme_names(themes)):
        theme.name = name  # the theme list, the chains and the segments name it alike
        members = [reached[i] for i in theme.members]
        for view in members:
            view.theme = name
        theme.extra = {
            "drivers": dict(Counter(v.driver for v in members if v.driver).most_common()),
            "disciplines": dict(Counter(v.discipline for v in members if v.discipline).most_common()),
            # where each terminal why of the theme, and each quote, was said (``members`` index the chains that reached one)
            "chains": [{"source": v.source, "chain": v.chain} for v in members],
            "quoted_from": [said_by(reached[i]) for i in theme.quoted],
        }
    return themes, build_value_map(views, embedder, distance=distance, cutoff=cutoff)


def theme_names(themes: Sequence) -> list[str]:
    """Each theme's name, made unique where two themes share one (``"price (2)"``)."""
    seen: Counter = Counter()
    names = []
    for theme in themes:
        seen[theme.name] += 1
        names.append(theme.name if seen[theme.name] == 1 else f"{theme.name} ({seen[theme.name]})")
    return names


# --- reading inputs -----------------------------------------------------------------------------


def read_results_jsonl(path: Path) -> list[Result]:
    """Results written by ``motive classify`` (JSONL, one record per transcript; ``-f json`` lists work too)."""
    import json

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise MotiveError(f"{path}: cannot read the results file ({type(error).__name__})") from None
    stripped = text.lstrip()
    line = 1
    try:
        if stripped.startswith("["):
            records = [(f"{path}", record) for record in json.loads(stripped)]
        else:
            records = []
            for line, record in enumerate(text.splitlines(), start=1):
                if record.strip():
                    records.append((f"{path}:{line}", json.loads(record)))
    except json.JSONDecodeError:
        where = "" if stripped.startswith("[") else f":{line}"
        raise MotiveError(f"{path}{where}: not JSON (a file cut off while written?); write one with 'motive classify -o FILE.jsonl'") from None
    results = []
    for where, record in records:
        try:
            results.append(Result.from_dict(record))
        except ValueError as error:  # a record of motive's form that no run of motive writes: edited by hand, or damaged
            raise MotiveError(f"{where}: not a result of motive classify as written: {error}") from None
        except (TypeError, AttributeError, KeyError):
            raise MotiveError(f"{where}: not a result of motive classify (a JSON object with 'source' and 'answers'); "
                              "write one with 'motive classify -o FILE.jsonl'") from None
    return results


def is_results_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in (".jsonl", ".json")


def results_files(path: Path) -> list[Path]:
    """The results files ``path`` stands for: itself, the parts of a ``motive classify --engine dask``
    output folder (it holds ``manifest.json``), or none (transcripts)."""
    from motive.distributed import MANIFEST_FILE

    if is_results_file(path):
        return [path]
    if path.is_dir() and (path / MANIFEST_FILE).is_file():
        return sorted(path.glob("part-*.jsonl"))
    return []


def told_apart(results: list[Result], origins: list[str]) -> list[Result]:
    """Results whose sources are written alike but hold other interviews (two teams' ``calls/001.txt``)
    get their origin added to the source, so that every interview has a source of its own."""
    written = Counter(r.source for r in results)
    return [replace(r, source=f"{r.source} ({origin})") if written[r.source] > 1 else r for r, origin in zip(results, origins)]


def first_of_each_source(results: Sequence[Result]) -> tuple[list[Result], int]:
    """``results`` without a second result of the same interview; how many went.

    Two results are of the same interview when their files have the same name and their
    answers the same words: results files keep paths as they were given to ``motive
    classify``, relative to wherever it ran, so a path alone cannot tell.
    """
    kept, seen = [], set()
    for result in results:
        key = (Path(result.source).name, tuple((a.speaker, a.text) for a in result.answers)) if result.ok else None
        if key is not None and key in seen:
            continue
        seen.add(key)
        kept.append(result)
    return kept, len(results) - len(kept)


def models_mixed(results: Sequence[Result]) -> str | None:
    """A note when ``results`` were labelled by more than one model (or version, precision or
    device: see :func:`motive.results.models_used`), naming each with how many results it
    labelled; None when one model labelled them all."""
    used = models_used(list(results))
    if len(used) < 2:
        return None
    each = "; ".join(f"{model_described(identity)}: {counted(count, 'result')}" for identity, count in used)
    return f"the results given were labelled by {len(used)} different models, and the figures mix their labels: {each}"


def _other_models(left_out: Sequence[Result], kept: Sequence[Result]) -> str:
    """The models of the copies ``left_out`` that labelled none of the results ``kept``, described; "" when none."""
    keeping = {model_key(identity) for identity, _ in models_used(list(kept))}
    return "; ".join(model_described(identity) for identity, _ in models_used(list(left_out)) if model_key(identity) not in keeping)


#: How many metadata rows that fit no transcript are named (the rest are counted).
UNMATCHED_SHOWN = 5


def load_results(paths: Sequence[Path], model, *, metadata: Path | None = None) -> tuple[list[Result], list[str], list[str]]:
    """Results of ``paths``: ``motive classify`` JSONL files read back, transcripts (files, folders) classified.

    Returns the readable results, one problem line per file left out, and
    notes (interviews met twice, counted once; metadata rows that fit no transcript; motive's own
    results files found among the transcripts, left out).
    ``metadata``: a CSV whose rows are added to the matching results' metadata.
    """
    from motive.formats.base import is_motive_results
    from motive.pipeline import classify_many
    from motive.transcripts import find_transcripts

    results: list[Result] = []
    origins: list[str] = []
    given = {path: results_files(path) for path in paths}
    unread: list[str] = []  # results files that cannot be read: named, and the others go on
    for path, files in list(given.items()):
        for results_file in files:
            try:
                read = read_results_jsonl(results_file)
            except MotiveError as error:
                if results_file.suffix.lower() == ".json" and _transcript_json(results_file):
                    given[path] = []  # a speech-to-text JSON transcript: classified below
                    continue
                unread.append(f"skipped {error}")
                continue
            results += read
            origins += [str(results_file)] * len(read)
    transcripts = find_transcripts([path for path, files in given.items() if not files])
    notes = []
    if transcripts:
        classified = list(classify_many(transcripts, model=model))
        # results that motive wrote beside the transcripts: not bad files (name one to read its results);
        # one named on its own that cannot be read as results (a table) stays a skipped file, which says why
        named = {os.path.realpath(path) for path in paths if not Path(path).is_dir()}
        beside = [r.source for r in classified if not r.ok and is_motive_results(r.error) and os.path.realpath(r.source) not in named]
        if beside:
            notes.append(results_files_left_out(beside))
        classified = [r for r in classified if r.ok or r.source not in beside]
        results += classified
        origins += ["classified now"] * len(classified)
    origin_of = {id(result): origin for result, origin in zip(results, origins)}
    every = results
    results, repeated = first_of_each_source(results)
    if repeated:
        kept = {id(result) for result in results}
        other = _other_models([r for r in every if id(r) not in kept], results)
        notes.append(f"{repeated} {'copy' if repeated == 1 else 'copies'} of interviews met before (named twice, or both as a transcript and in results): "
                     "each interview counted once" + (f", as the copy named first has it (copies labelled by {other} were left out)" if other else ""))
    if mixed := models_mixed(results):
        notes.append(mixed)
    problems = []
    if metadata is not None:  # matched by the sources as written, before told_apart adds to them
        unmatched = attach_metadata(results, read_metadata(metadata), where=str(metadata))
        if unmatched:
            shown = ", ".join(map(repr, unmatched[:UNMATCHED_SHOWN])) + (f" and {len(unmatched) - UNMATCHED_SHOWN} more" if len(unmatched) > UNMATCHED_SHOWN else "")
            notes.append(f"{metadata}: {counted(len(unmatched), 'row')} {'fits' if len(unmatched) == 1 else 'fit'} no transcript given ({shown}); "
                         f"{'it is' if len(unmatched) == 1 else 'they are'} not used")
    results = told_apart(results, [origin_of[id(result)] for result in results])
    problems = unread + [f"skipped {r.source}: {r.error}" for r in results if not r.ok] + problems
    return [r for r in results if r.ok], problems, notes


def _transcript_json(path: Path) -> bool:
    """Whether a ``.json`` file that holds no results is a transcript motive reads (WhisperX, AssemblyAI, …)."""
    from motive.errors import TranscriptError
    from motive.transcripts import read_file

    try:
        read_file(path)
        return True
    except TranscriptError:
        return False


# --- as text ------------------------------------------------------------------------------------


def _share_line(items: Sequence[Share]) -> str:
    return ", ".join(f"{s.value} {percent(s.share)} [{percent(s.low)}–{percent(s.high)}]" for s in items if s.count)


def _why_no_tags(insights: Insights) -> str:
    """Why drivers or disciplines are empty although chains reached an outcome: the model has no tags."""
    if not insights.reached.count:
        return ""
    return " (no terminal why carries one: the model that classified them was trained without driver=/discipline= tags)"


def _value_map_lines(value_map, shown: int = 10) -> list[str]:
    """The means-end map's strongest direct links, as text."""
    if value_map is None:
        return []
    if not value_map.links:
        return [f"\nMeans-end map: no link between themes is seen in {counted(value_map.cutoff, 'chain')} or more (lower --cutoff)"]
    names = {node.id: node.name for node in value_map.nodes}
    links = sorted(value_map.links, key=lambda link: (-link.direct, link.source, link.target))
    lines = [f"\nMeans-end map (what they buy → outcomes on the way → terminal outcomes; links seen in {value_map.cutoff}+ chains):"]
    lines += [f"  {link.direct:>4}  {names[link.source]} → {names[link.target]}" for link in links[:shown]]
    if len(links) > shown:
        lines.append(f"  and {counted(len(links) - shown, 'weaker link')} (--json or motive report has all)")
    return lines


def _leading(shares_: Sequence[Share]) -> str:
    """The leading value(s) of a segment, "—" where it has no terminal why to count.

    >>> _leading([Share("a", 0, 0, 0.0, 0.0, 0.0)])
    '—'
    """
    top = max((s.share for s in shares_ if s.total), default=None)
    if not top:
        return "—"
    return " / ".join(s.value for s in shares_ if s.total and s.share == top) + f" {percent(top)}"


def _leading_themes(themes: Sequence[Share], shown: int = 3) -> str:
    """The group's most common themes, largest first: ``"cash · invoices" 40% · "evenings" 20%``."""
    leading = sorted((t for t in themes if t.count), key=lambda t: -t.count)[:shown]
    return " · ".join(f'"{t.value}" {percent(t.share)}' for t in leading) or "—"


def format_insights(insights: Insights, *, themes: int = 10) -> str:
    """A plain-text summary for the terminal."""
    r = insights.reached
    lines = [
        f"{counted(insights.interviews, 'interview')}, {counted(insights.chains, 'chain')}; {r.count} reached an outcome "
        f"({percent(r.share)}, 95% interval {percent(r.low)}–{percent(r.high)})",
        f"Terminal-why value drivers: {_share_line(insights.drivers) or '—' + _why_no_tags(insights)}",
        f"Terminal-why value disciplines: {_share_line(insights.disciplines) or '—' + _why_no_tags(insights)}",
        *(["Labelled by " + "; ".join(model_described(identity) + (f": {counted(count, 'interview')}" if len(insights.models) > 1 else "")
                                      for identity, count in insights.models)] if insights.models else []),
    ]
    for comparison in insights.segments:
        lines.append(f"\nSegments by {comparison.key}:")
        width = max(16, *(len(g.value) for g in comparison.groups))
        for g in comparison.groups:
            lines.append(
                f"  {g.value:<{width}} {counted(g.interviews, 'interview'):>14} {counted(g.chains, 'chain'):>11}  reached {percent(g.reached.share)}  "
                f"driver {_leading(g.drivers)}  discipline {_leading(g.disciplines)}"
            )
        if any(g.themes for g in comparison.groups):
            lines.append("  themes of the terminal whys:")
            lines += [f"  {g.value:<{width}} {_leading_themes(g.themes)}" for g in comparison.groups]
        if comparison.without_value:
            lines.append(f"  ({counted(comparison.without_value, 'interview')} without a {comparison.key} left out)")
        lines.append("  tests: " + "; ".join(f"{t.measure} {t.p_shown}{' *' if t.significant else ''}" for t in comparison.tests))
        lines += [f"  finding: {f}" for f in comparison.findings]
    if insights.keys_not_compared:
        lines.append("\nMetadata not compared: " + "; ".join(f"{key} ({reason})" for key, reason in insights.keys_not_compared.items()))
    if insights.themes:
        lines.append("\nThemes of the terminal whys:")
        for theme in insights.themes[:themes]:
            where = quoted_from(theme)
            lines.append(f"  {theme.count:>4}  {theme.name}: \"{clipped_quote(theme.quotes[0])}\"" + (f" ({where})" if where else ""))
        if len(insights.themes) > themes:
            lines.append(f"  and {counted(len(insights.themes) - themes, 'more theme')} (--json has all)")
    lines += _value_map_lines(insights.value_map)
    d = insights.diagnostics
    lines += [
        "\nInterviewer diagnostics:",
        f"  chains that stopped at output level: {len(d.stopped_at_output)}; ended without an outcome otherwise: {d.stopped_elsewhere}",
        "  whys before the first outcome (whys: chains): " + (", ".join(f"{whys}: {n}" for whys, n in sorted(d.whys_to_outcome.items())) or "—")
        + (f" (mean {d.mean_whys_to_outcome:.1f})" if d.mean_whys_to_outcome is not None else " (no chain reached an outcome)"),
        f"  questions that look leading: {len(d.leading_questions)}",
    ]
    return printable_lines("\n".join(lines))  # transcripts' and messages' words cannot move the cursor
