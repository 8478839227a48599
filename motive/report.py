"""One self-contained HTML report of the insights: inline CSS, inline SVG, no scripts, no requests.

The page opens offline in any browser. A Content-Security-Policy meta tag
forbids every external load, so nothing a transcript says can make the page
fetch anything; every text from a transcript is HTML-escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from motive import __version__
from motive.comparisons import OTHER_THEMES
from motive.insights import Insights, Share
from motive.views import quoted_from
from motive.labels import DISCIPLINES, DRIVERS
from motive.output import counted, percent
from motive.results import Result, model_described
from motive.summary import clipped_quote
from motive.valuemap import LEVELS, ValueMap, shown_nodes

COLOURS = {
    "increase-revenue": "#2b8a3e", "decrease-cost": "#1c7ed6", "mitigate-risk": "#e8590c", "emotional-need": "#ae3ec9",
    "operational": "#1098ad", "performance": "#f08c00", "intimacy": "#d6336c",
    "output": "#868e96", "outcome": "#2f9e44", "none": "#dee2e6",
    "reached": "#2f9e44", "not reached": "#ced4da",
}
MAX_MAP_NODES = 12  # per level
MAX_CHAIN_INTERVIEWS = 60

CSS = """
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#212529;background:#f8f9fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:2px solid #dee2e6;padding-bottom:4px}
h3{font-size:16px;margin:18px 0 6px}
section{background:#fff;border:1px solid #e9ecef;border-radius:8px;padding:12px 18px;margin:14px 0}
nav a{margin-right:14px;color:#1971c2;text-decoration:none}
.muted{color:#6c757d;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:14px}td,th{padding:4px 8px;border-bottom:1px solid #e9ecef;text-align:left;vertical-align:top}
th{background:#f1f3f5}
.finding{background:#fff3bf;border-left:4px solid #f59f00;padding:6px 10px;margin:6px 0}
.noise{color:#6c757d}
.left-out{border-left:4px solid #e8590c;padding:4px 12px;margin:8px 0;background:#fff4e6}
.legend span{display:inline-block;margin-right:12px;font-size:13px}.legend i{display:inline-block;width:11px;height:11px;margin-right:4px;border-radius:2px;vertical-align:-1px}
blockquote{margin:4px 0 4px 12px;padding-left:10px;border-left:3px solid #ced4da;color:#495057;font-style:italic}
.theme{border-top:1px solid #e9ecef;padding:8px 0}.theme b{font-size:15px}
.chain{display:flex;flex-wrap:wrap;align-items:stretch;gap:4px;margin:6px 0 10px}
.step{border-radius:6px;padding:4px 8px;max-width:230px;font-size:12.5px;border:1px solid #ced4da;background:#fff}
.step.output{background:#f1f3f5}.step.outcome{background:#ebfbee;border-color:#8ce99a}.step.none{background:#fff;color:#868e96}
.step.terminal{border:2px solid #2b8a3e;font-weight:600}.step small{display:block;color:#868e96;font-weight:400}
.arrow{align-self:center;color:#adb5bd}
details{margin:4px 0}summary{cursor:pointer}
.heat td.cell{text-align:center;font-variant-numeric:tabular-nums}
"""


def render_report(
    insights: Insights, results: Sequence[Result], *, gap=None, title: str = "Why customers buy", left_out: Sequence[str] = ()
) -> str:
    """The whole report as one HTML string. ``left_out``: lines about input that was skipped
    (unreadable files, cut-off results), shown at the top so no reader misses them."""
    sections = [
        ("overview", "Overview", _overview(insights)),
        ("segments", "Segments", _segments(insights)),
        ("themes", "Themes", _themes(insights)),
    ]
    if gap is not None:
        sections.append(("gap", "Messaging gap", _gap(gap)))
    sections += [
        ("value-map", "Value map", _value_map(insights.value_map)),
        ("chains", "Chains", _chains(results)),
        ("diagnostics", "Interviewer diagnostics", _diagnostics(insights)),
    ]
    nav = "".join(f'<a href="#{key}">{escape(name)}</a>' for key, name, _ in sections)
    body = "".join(f'<div class="part" id="part-{key}"><h2 id="{key}">{escape(name)}</h2>{html}</div>' for key, name, html in sections)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"generator\" content=\"motive {escape(__version__)}\">"
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>"
        f"<h1>{escape(title)}</h1><p class=\"muted\">{counted(insights.interviews, 'interview')} · {counted(insights.chains, 'why chain')} · "
        f"made by motive {escape(__version__)}. Shares come with 95% bootstrap intervals over interviews.</p>"
        f"{_models(insights.models)}{_left_out(left_out)}<nav>{nav}</nav>{body}</main></body></html>\n"
    )


# --- charts -------------------------------------------------------------------------------------


#: Colours of the themes segments are compared on, in their order; the other themes are grey.
THEME_COLOURS = ("#1c7ed6", "#e8590c", "#2b8a3e", "#ae3ec9", "#f08c00", "#1098ad")


def theme_colours(themes: Sequence[str]) -> dict[str, str]:
    named = [t for t in themes if t != OTHER_THEMES]
    return dict(zip(named, THEME_COLOURS)) | {OTHER_THEMES: "#ced4da"}


def legend(values: Sequence[str], colours: dict[str, str] = COLOURS) -> str:
    return '<div class="legend">' + "".join(f'<span><i style="background:{colours[v]}"></i>{escape(v)}</span>' for v in values) + "</div>"


def text_colour_on(background: str) -> str:
    """White or near-black, whichever is easier to read on ``background`` (``#rrggbb``; WCAG contrast).

    >>> text_colour_on("#1c7ed6"), text_colour_on("#ced4da")
    ('#fff', '#212529')
    """
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(background[i:i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    dark = 0.0152  # #212529
    return "#fff" if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / (dark + 0.05) else "#212529"


def stacked_bars(rows: Sequence[tuple[str, Sequence[Share]]], *, width: int = 760, colours: dict[str, str] = COLOURS) -> str:
    """One horizontal 100% bar per row, a segment per value, labelled with its share."""
    label_width, height, gap = 170, 22, 8
    bar = width - label_width - 60
    parts = []
    for n, (label, items) in enumerate(rows):
        y = n * (height + gap)
        parts.append(f'<text x="0" y="{y + 15}" font-size="13">{escape(_clip(label, 24))}</text>')
        total = sum(s.count for s in items)
        x = label_width
        for share in items:
            if not share.count:
                continue
            w = bar * share.count / total
            tip = f"{share.value}: {share.count}/{share.total} = {percent(share.share)} (95% {percent(share.low)}–{percent(share.high)})"
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{height}" fill="{colours[share.value]}"><title>{escape(tip)}</title></rect>')
            if w > 34:
                parts.append(f'<text x="{x + w / 2:.1f}" y="{y + 15}" font-size="12" fill="{text_colour_on(colours[share.value])}" '
                             f'text-anchor="middle">{percent(share.share)}</text>')
            x += w
        parts.append(f'<text x="{label_width + bar + 6}" y="{y + 15}" font-size="12" fill="#868e96">n={total}</text>')
    total_height = max(len(rows) * (height + gap), 1)
    return f'<svg role="img" width="{width}" height="{total_height}" viewBox="0 0 {width} {total_height}">{"".join(parts)}</svg>'


def interval_bars(rows: Sequence[tuple[str, Share]], *, width: int = 760) -> str:
    """A bar per row for one share, with its 95% interval as a whisker."""
    label_width, height, gap = 170, 18, 8
    bar = width - label_width - 150
    parts = []
    for n, (label, share) in enumerate(rows):
        y = n * (height + gap)
        parts += [
            f'<text x="0" y="{y + 13}" font-size="13">{escape(_clip(label, 24))}</text>',
            f'<rect x="{label_width}" y="{y}" width="{bar}" height="{height}" fill="#f1f3f5"/>',
            f'<rect x="{label_width}" y="{y}" width="{bar * share.share:.1f}" height="{height}" fill="{COLOURS["reached"]}"/>',
            f'<line x1="{label_width + bar * share.low:.1f}" x2="{label_width + bar * share.high:.1f}" y1="{y + height / 2}" y2="{y + height / 2}" stroke="#212529" stroke-width="2"/>',
            f'<text x="{label_width + bar + 6}" y="{y + 13}" font-size="12">{percent(share.share)} [{percent(share.low)}–{percent(share.high)}]</text>',
        ]
    total_height = max(len(rows) * (height + gap), 1)
    return f'<svg role="img" width="{width}" height="{total_height}" viewBox="0 0 {width} {total_height}">{"".join(parts)}</svg>'


def histogram(counts: dict[int, int], *, width: int = 420, height: int = 140) -> str:
    """Bars of chain counts per number of whys."""
    if not counts:
        return '<p class="muted">No chain reached an outcome.</p>'
    keys = list(range(min(counts), max(counts) + 1))
    top = max(counts.values())
    slot = (width - 20) / len(keys)
    parts = []
    for n, key in enumerate(keys):
        h = (height - 36) * counts.get(key, 0) / top
        x = 10 + n * slot
        parts += [
            f'<rect x="{x + 3:.1f}" y="{height - 20 - h:.1f}" width="{slot - 6:.1f}" height="{h:.1f}" fill="#4dabf7"/>',
            f'<text x="{x + slot / 2:.1f}" y="{height - 5}" font-size="12" text-anchor="middle">{key}</text>',
            f'<text x="{x + slot / 2:.1f}" y="{height - 24 - h:.1f}" font-size="11" text-anchor="middle">{counts.get(key, 0)}</text>',
        ]
    return f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'


# --- sections -----------------------------------------------------------------------------------


def _models(models: Sequence[tuple[dict | None, int]]) -> str:
    """Which model labelled the interviews; a warning when more than one did."""
    if len(models) == 1:
        return f'<p class="muted">Labelled by {escape(model_described(models[0][0]))}.</p>'
    if not models:
        return ""
    items = "".join(f"<li>{escape(model_described(identity))}: {counted(count, 'interview')}</li>" for identity, count in models)
    return (f'<details class="left-out" open><summary>Labelled by {len(models)} different models: the figures mix their labels</summary>'
            f"<ul>{items}</ul></details>")


def _left_out(problems: Sequence[str]) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{escape(problem)}</li>" for problem in problems)
    return f'<details class="left-out" open><summary>Not everything given was used: {counted(len(problems), "problem")}</summary><ul>{items}</ul></details>'


def _overview(insights: Insights) -> str:
    r = insights.reached
    return (
        f"<section><p><b>{r.count}</b> of {counted(r.total, 'why chain')} reached an outcome ({percent(r.share)}, 95% interval {percent(r.low)}–{percent(r.high)}).</p>"
        "<h3>What kind of outcome the terminal whys name (value driver)</h3>" + legend(DRIVERS)
        + stacked_bars([("all interviews", insights.drivers)])
        + "<h3>What they weigh most in the offer (value discipline)</h3>" + legend(DISCIPLINES)
        + stacked_bars([("all interviews", insights.disciplines)]) + "</section>"
    )


def _segments(insights: Insights) -> str:
    left_out = "".join(f"<li><code>{escape(key)}</code>: {escape(reason)}</li>" for key, reason in insights.keys_not_compared.items())
    left_out = f'<p class="muted">Metadata not compared:</p><ul class="muted">{left_out}</ul>' if left_out else ""
    if not insights.segments:
        if left_out:
            return f'<section><p class="muted">No metadata key can be compared (each needs 2–8 values, each held by two interviews or more).</p>{left_out}</section>'
        return ('<section><p class="muted">No metadata to compare segments by: add front matter (<code>segment: retail</code>) '
                "to the transcripts or pass <code>--metadata FILE.csv</code>.</p></section>")
    html = [left_out]
    for comparison in insights.segments:
        tests = {t.measure: t for t in comparison.tests}

        def verdict(measure: str) -> str:
            t = tests[measure]
            if t.significant:
                return f'<p class="finding">Segments differ (permutation test over interviews, {t.p_shown}).</p>'
            return f'<p class="noise">No difference that holds ({t.p_shown}): read the gaps below as noise.</p>'

        groups = comparison.groups
        html.append(
            f"<section><h3>By {escape(comparison.key)}</h3>"
            + (f'<p class="muted">{counted(comparison.without_value, "interview")} without a {escape(comparison.key)} left out.</p>'
               if comparison.without_value else "")
            + "".join(f'<p class="finding">{escape(f)}</p>' for f in comparison.findings)
            + "<h3>Chains that reached an outcome</h3>" + verdict("reached")
            + interval_bars([(f"{g.value} ({g.interviews})", g.reached) for g in groups])
            + "<h3>Value drivers of terminal whys</h3>" + verdict("driver") + legend(DRIVERS)
            + stacked_bars([(g.value, g.drivers) for g in groups])
            + "<h3>Value disciplines of terminal whys</h3>" + verdict("discipline") + legend(DISCIPLINES)
            + stacked_bars([(g.value, g.disciplines) for g in groups])
            + _theme_bars(groups, verdict)
            + "</section>"
        )
    return "".join(html)


def _theme_bars(groups, verdict) -> str:
    """Each segment's terminal whys by theme, when themes were compared."""
    if not any(g.themes for g in groups):
        return ""
    themes = [t.value for t in groups[0].themes]
    colours = theme_colours(themes)
    return ("<h3>Themes of terminal whys</h3>" + verdict("theme") + legend(themes, colours)
            + stacked_bars([(g.value, g.themes) for g in groups], colours=colours))


def _themes(insights: Insights, limit: int = 15) -> str:
    if not insights.themes:
        return '<section><p class="muted">No terminal whys to group.</p></section>'
    items = []
    for theme in insights.themes[:limit]:
        tags = ", ".join(f"{k} {v}" for k, v in {**theme.extra.get("drivers", {}), **theme.extra.get("disciplines", {})}.items())
        quotes = "".join(f'<blockquote title="{escape(q)}">{escape(clipped_quote(q))}'
                         + (f' <cite class="muted">— {escape(where)}</cite>' if (where := quoted_from(theme, k)) else "") + "</blockquote>"
                         for k, q in enumerate(theme.quotes))
        items.append(f'<div class="theme"><b>{escape(theme.name)}</b> <span class="muted">{counted(theme.count, "terminal why")} · '
                     f"{counted(theme.sources, 'interview')} · {escape(tags)}</span>{quotes}</div>")
    rest = len(insights.themes) - limit
    more = f'<p class="muted">and {counted(rest, "more theme")} (see <code>motive insights --json</code>).</p>' if rest > 0 else ""
    return "<section>" + "".join(items) + more + "</section>"


def _gap(gap) -> str:
    from motive.gap import NO_OUTCOMES

    if not gap.themes:
        return f'<section><p class="muted">{escape(NO_OUTCOMES[0].upper() + NO_OUTCOMES[1:])}.</p></section>'
    themes = gap.themes[:12]
    head = "".join(f'<th title="{escape(t.quotes[0])}">{escape(_clip(t.name, 22))} <span class="muted">({t.count})</span></th>' for t in themes)
    rows = []
    for match, similarities in zip(gap.messages, gap.similarity):
        cells = "".join(
            f'<td class="cell" style="background:rgba(47,158,68,{max(0.0, min(1.0, (s - 0.1) / 0.6)):.2f})">{s:.2f}</td>' for s in similarities[:12]
        )
        tag = f'<br><span class="muted">{escape(match.driver or "")} · {escape(match.discipline or "")}</span>' if match.driver else ""
        echo = "" if match.echoed else '<br><b style="color:#c92a2a">no customer&#39;s terminal why echoes it</b>'
        rows.append(f"<tr><td>{escape(match.message)}{tag}{echo}</td>{cells}</tr>")
    uncovered = "".join(f"<li><b>{escape(gap.themes[t].name)}</b> ({gap.themes[t].count}): <i>{escape(clipped_quote(gap.themes[t].quotes[0]))}</i>"
                        + (f' <span class="muted">— {escape(where)}</span>' if (where := quoted_from(gap.themes[t])) else "") + "</li>"
                        for t in gap.uncovered[:15])
    if len(gap.uncovered) > 15:
        uncovered += f'<li class="muted">and {counted(len(gap.uncovered) - 15, "more theme")} (see <code>motive gap --json</code>)</li>'
    shown = "" if len(gap.themes) <= 12 else f'<p class="muted">The 12 largest themes of {len(gap.themes)}; <code>motive gap --json</code> has all.</p>'
    return (
        f'<section><p class="muted">Cosine similarity of each message to each customer theme (terminal whys); '
        f"a message covers a theme from {gap.threshold:.2f}.</p>"
        f'<table class="heat"><tr><th>message</th>{head}</tr>{"".join(rows)}</table>{shown}'
        f"<h3>Customer outcomes no message addresses</h3><ul>{uncovered or '<li>none</li>'}</ul></section>"
    )


def _value_map(value_map: ValueMap | None) -> str:
    if value_map is None:
        return '<section><p class="muted">No value map (no embedder given).</p></section>'
    if not value_map.links:
        return f'<section><p class="muted">No link between themes is seen in {value_map.cutoff} chains or more; lower --cutoff.</p></section>'
    return (
        f'<section><p class="muted">What customers buy → outcomes on the way → terminal outcomes, theme to theme. '
        f"A line is a direct link seen in at least {value_map.cutoff} chains; its width grows with the count.</p>"
        + value_map_svg(value_map) + _implication_table(value_map) + "</section>"
    )


def value_map_svg(value_map: ValueMap, *, width: int = 1040) -> str:
    """Three columns of theme nodes (attribute, intermediate, terminal) and the links between them."""
    nodes = shown_nodes(value_map)
    columns = {level: sorted((n for n in nodes if n.level == level), key=lambda n: -n.chains)[:MAX_MAP_NODES] for level in LEVELS}
    node_w, node_h, step = 250, 40, 52
    xs = {level: 20 + i * (width - node_w - 40) / 2 for i, level in enumerate(LEVELS)}
    where = {}
    for level, column in columns.items():
        for row, node in enumerate(column):
            where[node.id] = (xs[level], 40 + row * step)
    height = 40 + max((len(c) for c in columns.values()), default=1) * step
    parts = [f'<text x="{xs[level] + node_w / 2}" y="20" font-size="13" font-weight="600" text-anchor="middle">{label}</text>'
             for level, label in zip(LEVELS, ("what they buy", "outcomes on the way", "terminal outcomes"))]
    for link in value_map.links:
        if link.source not in where or link.target not in where:
            continue
        (x1, y1), (x2, y2) = where[link.source], where[link.target]
        stroke = 1 + 2 * math.sqrt(link.direct - value_map.cutoff + 1)
        if x1 == x2:  # within one column: an arc on its right side
            path = f"M{x1 + node_w},{y1 + node_h / 2} C{x1 + node_w + 60},{y1 + node_h / 2} {x2 + node_w + 60},{y2 + node_h / 2} {x2 + node_w},{y2 + node_h / 2}"
        else:
            sx, ex = x1 + node_w, x2
            path = f"M{sx},{y1 + node_h / 2} C{(sx + ex) / 2},{y1 + node_h / 2} {(sx + ex) / 2},{y2 + node_h / 2} {ex},{y2 + node_h / 2}"
        parts.append(f'<path d="{path}" fill="none" stroke="#74c0fc" stroke-opacity="0.8" stroke-width="{stroke:.1f}">'
                     f"<title>{escape(link.source)} → {escape(link.target)}: {counted(link.direct, 'chain')} direct, {link.indirect} indirect</title></path>")
    fills = {"attribute": "#f1f3f5", "intermediate": "#e6fcf5", "terminal": "#d3f9d8"}
    for node in (n for column in columns.values() for n in column):
        x, y = where[node.id]
        parts.append(
            f'<g><rect x="{x}" y="{y}" width="{node_w}" height="{node_h}" rx="6" fill="{fills[node.level]}" stroke="#adb5bd"/>'
            f'<text x="{x + 8}" y="{y + 17}" font-size="13" font-weight="600">{escape(node.id)} {escape(_clip(node.name, 28))}</text>'
            f'<text x="{x + 8}" y="{y + 33}" font-size="11" fill="#495057">{counted(node.chains, "chain")} · {escape(_clip(node.quote, 36))}</text>'
            f"<title>{escape(node.quote)}</title></g>"
        )
    return f'<svg role="img" class="value-map" width="{width}" height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'


def _implication_table(value_map: ValueMap) -> str:
    """The implication matrix of the nodes on the map: direct/indirect chain counts."""
    ids = [n.id for n in shown_nodes(value_map)][:20]
    names = {n.id: n.name for n in value_map.nodes}
    head = "".join(f'<th title="{escape(names[i])}">{escape(i)}</th>' for i in ids)
    rows = []
    for source in ids:
        cells = []
        for target in ids:
            direct, indirect = value_map.matrix.get(source, {}).get(target, [0, 0])
            cells.append(f"<td>{direct}/{indirect}</td>" if direct or indirect else "<td></td>")
        rows.append(f'<tr><th title="{escape(names[source])}">{escape(source)} {escape(_clip(names[source], 20))}</th>{"".join(cells)}</tr>')
    return (f"<details><summary>Implication matrix (direct/indirect chains, row leads to column)</summary>"
            f'<table class="implication"><tr><th></th>{head}</tr>{"".join(rows)}</table></details>')


def _chains(results: Sequence[Result]) -> str:
    blocks = []
    for result in sorted(results, key=lambda result: result.source)[:MAX_CHAIN_INTERVIEWS]:  # the same list whatever the order named
        diagrams = []
        for number, chain in enumerate(result.chains):
            steps = []
            for index in chain.answers:
                answer = result.answers[index]
                terminal = " terminal" if index == chain.terminal else ""
                tag = f" · {answer.driver}" if answer.driver else ""
                steps.append(
                    f'<div class="step {escape(answer.label)}{terminal}" title="{escape(answer.text)}">'
                    f"<small>{escape(answer.label)}{escape(tag)}</small>{escape(_clip(answer.evidence or answer.text, 110))}</div>"
                )
            diagrams.append(f'<div class="muted">chain {number}: {escape(chain.summary)}</div><div class="chain">'
                            + '<span class="arrow">→</span>'.join(steps) + "</div>")
        reached = sum(c.terminal is not None for c in result.chains)
        blocks.append(f"<details><summary>{escape(result.source)} <span class=\"muted\">{counted(len(result.chains), 'chain')}, {reached} reached an outcome</span></summary>"
                      + "".join(diagrams) + "</details>")
    more = len(results) - MAX_CHAIN_INTERVIEWS
    tail = f'<p class="muted">and {counted(more, "more interview")} (see <code>motive classify</code>).</p>' if more > 0 else ""
    return "<section>" + legend(("output", "outcome", "none")) + "".join(blocks) + tail + "</section>"


def _diagnostics(insights: Insights) -> str:
    d = insights.diagnostics
    stopped = "".join(f"<tr><td>{escape(s['source'])}</td><td>{s['chain']}</td><td>{escape(s['summary'])}</td><td>{s['answers']}</td></tr>"
                      for s in d.stopped_at_output[:40])
    leading = "".join(f"<tr><td>{escape(q['source'])}</td><td>{escape(q['question'] or '')}</td><td>{escape(q['reason'])}</td></tr>"
                      for q in d.leading_questions[:40])
    return (
        f"<section><p>{d.reached} of {counted(d.chains, 'chain')} reached an outcome. "
        f"<b>{len(d.stopped_at_output)}</b> stopped at output level (asked no further, or the customer had no deeper reason: read them); "
        f"{d.stopped_elsewhere} ended without an outcome otherwise.</p>"
        f"<h3>Whys it took to reach the first outcome</h3>{histogram(d.whys_to_outcome)}"
        f'<p class="muted">Mean {f"{d.mean_whys_to_outcome:.1f}" if d.mean_whys_to_outcome is not None else "—"} probes before the first outcome answer (0: the first answer already named one).</p>'
        f"<h3>Chains that stopped at output level</h3>"
        + (f'<table class="stopped"><tr><th>interview</th><th>chain</th><th>summary</th><th>answers</th></tr>{stopped}</table>'
           if stopped else '<p class="muted">None.</p>')
        + f"<h3>Questions that look leading ({len(d.leading_questions)})</h3>"
        + (f'<p class="muted">Found by word patterns; about half of them careful annotators would not call leading (BENCHMARKS.md).</p>'
           f'<table class="leading"><tr><th>interview</th><th>question</th><th>why it looks leading</th></tr>{leading}</table>'
           if leading else '<p class="muted">None.</p>')
        + "</section>"
    )


def _clip(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"
