"""The means-end map of laddering research, built from why chains.

Each chain is a ladder: what the customer buys (its **output** answers:
attributes) → the outcomes on the way (**intermediate** outcome answers) → the
**terminal** why. Answers of each level are grouped into themes across
interviews (:mod:`motive.themes`), so ladders from many interviews meet on the
same nodes. The **implication matrix** counts, for every ordered pair of
themes, the chains where one leads straight to the other (direct) and the
chains where it leads there through others (indirect). The **hierarchical value
map** keeps the direct links seen in at least ``cutoff`` chains.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

LEVELS = ("attribute", "intermediate", "terminal")


@dataclass
class Node:
    """A theme at one level of the map."""

    id: str  # "A1", "I3", "T2"
    level: str  # "attribute" | "intermediate" | "terminal"
    name: str
    count: int  # answers in the theme
    chains: int  # chains that pass through it
    quote: str


@dataclass
class Link:
    source: str
    target: str
    direct: int  # chains where source leads straight to target
    indirect: int  # chains where it leads there through other themes


@dataclass
class ValueMap:
    nodes: list[Node]
    links: list[Link]  # the map: direct links seen in ``cutoff`` chains or more
    matrix: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # source → target → [direct, indirect]
    cutoff: int = 2

    def to_dict(self) -> dict:
        return asdict(self)


def ladders(views, level_themes: dict[str, dict[int, int]], answer_ids: dict[str, dict[int, int]]) -> list[list[str]]:
    """Each chain as its sequence of node ids, attributes first, then intermediates, then the terminal."""
    sequences = []
    for number, view in enumerate(views):
        sequence = []
        for level, prefix in zip(LEVELS, "AIT"):
            for item in answer_ids[level].get(number, []):
                node = f"{prefix}{level_themes[level][item] + 1}"
                if not sequence or sequence[-1] != node:
                    sequence.append(node)
        sequences.append(sequence)
    return sequences


def implication_matrix(sequences: Sequence[Sequence[str]]) -> dict[str, dict[str, list[int]]]:
    """source → target → [direct, indirect] chain counts (each chain counts once per pair)."""
    matrix: dict[str, dict[str, list[int]]] = {}
    for sequence in sequences:
        seen: dict[tuple[str, str], int] = {}
        for i, source in enumerate(sequence):
            for j in range(i + 1, len(sequence)):
                target = sequence[j]
                if source == target:
                    continue
                kind = 0 if j == i + 1 else 1
                seen[(source, target)] = min(seen.get((source, target), kind), kind)
        for (source, target), kind in seen.items():
            matrix.setdefault(source, {}).setdefault(target, [0, 0])[kind] += 1
    return matrix


def build_value_map(views, embedder, *, distance: float, cutoff: int = 2) -> ValueMap:
    """Themes per level, ladders through them, the implication matrix and the map at ``cutoff``."""
    from motive.themes import find_themes

    items = {
        "attribute": [(n, a.evidence) for n, v in enumerate(views) for a in v.outputs],
        "intermediate": [(n, a.evidence) for n, v in enumerate(views) for a in v.outcomes],
        "terminal": [(n, v.terminal.evidence) for n, v in enumerate(views) if v.terminal is not None],
    }
    nodes, level_themes, answer_ids = [], {}, {}
    for level, prefix in zip(LEVELS, "AIT"):
        texts = [text for _, text in items[level]]
        vectors = np.asarray(embedder.embed(texts)) if texts else np.zeros((0, embedder.dimension))
        themes, assignment = find_themes(texts, vectors, distance=distance, quotes=1)
        level_themes[level] = {i: int(t) for i, t in enumerate(assignment)}
        answer_ids[level] = {}
        for i, (chain, _) in enumerate(items[level]):
            answer_ids[level].setdefault(chain, []).append(i)
        for number, theme in enumerate(themes):
            chains = len({items[level][i][0] for i in theme.members})
            nodes.append(Node(f"{prefix}{number + 1}", level, theme.name, theme.count, chains, theme.quotes[0]))
    matrix = implication_matrix(ladders(views, level_themes, answer_ids))
    links = [
        Link(source, target, counts[0], counts[1])
        for source, targets in matrix.items()
        for target, counts in targets.items()
        if counts[0] >= cutoff
    ]
    links.sort(key=lambda link: (-link.direct, link.source, link.target))
    return ValueMap(nodes, links, matrix, cutoff)


def shown_nodes(value_map: ValueMap) -> list[Node]:
    """The nodes the map's links touch, by level and size."""
    used = Counter(n for link in value_map.links for n in (link.source, link.target))
    return [node for node in value_map.nodes if node.id in used]
