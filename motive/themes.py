"""Themes: answers from many interviews grouped by meaning and named in their own words.

Vectors (sentence embeddings) are clustered by agglomerative clustering on
cosine distance with a distance threshold, so the number of themes follows
from the data. Each theme is named by its members' most distinctive words
(class-based TF-IDF: words frequent in this theme and rare in the others), and
quoted by the members closest to its centre.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

#: Cosine distance under which answers join one theme (average linkage); chosen with
#: scripts/theme_distance.py on the corpus's terminal whys (README, "Insights").
DEFAULT_DISTANCE = 0.7
#: Spoken fillers that say nothing about a theme, beside scikit-learn's English stop words.
FILLERS = frozenset(
    "um uh er ah oh yeah yes okay ok like just really know think mean guess kind sort thing things "
    "stuff lot bit actually basically honestly pretty going get got want wanted need needs make makes "
    "would could can able also well right way much even still one two don't didn't it's i'm that's "
    "we're they're you're i've we've can't won't don ve ll re dont didn isn wasn doesn couldn wouldn aren weren haven hasn won shouldn thats im ive youre theyre its did does doing "
    "means meant suppose literally completely genuinely totally definitely absolutely obviously exactly probably maybe".split()
)
#: What a transcriber writes for sounds and gaps, not words said: "[laughs]", "[inaudible 00:03]", "(crosstalk)".
#: Square brackets always; round ones only around a sound, since "(the ERP)" is speech.
SOUND_TAGS = re.compile(
    r"\[[^\]\n]{1,40}\]|\((?:laugh|chuckl|crosstalk|inaudible|unintelligible|pause|silence|sigh|cough|music|noise)[^)\n]{0,30}\)",
    re.IGNORECASE,
)


#: Words of scikit-learn's stop list that name what customers talk about ("the bill", "interest",
#: "the system", "a fire", "hours back"): a theme may be named by them.
CONTENT_WORDS = frozenset(
    "amount back bill bottom call computer detail empty fill fire front full interest keep mill move name part serious "
    "show side system thick thin".split()
)


@dataclass
class Theme:
    """A group of answers that say much the same thing."""

    name: str  # the most distinctive words, joined by " · "
    words: list[str]
    count: int  # answers in the theme
    members: list[int]  # indices into the texts given to find_themes
    quotes: list[str]  # members closest to the theme's centre
    sources: int = 0  # distinct interviews (when sources were given)
    extra: dict = field(default_factory=dict)
    quoted: list[int] = field(default_factory=list)  # the members ``quotes`` are, in order

    def to_dict(self) -> dict:
        return asdict(self)


#: Agglomerative clustering holds every pair's distance: n answers take n² memory (16,000 took 2 GB).
#: Above this many, themes are found on a random sample of this size, the same for the same answers,
#: and each other answer joins the theme it is nearest to on average (as average linkage measures
#: it), or, further than the distance from every theme, is clustered with the others left over.
MAX_CLUSTERED = 4000
_JOINED_PER_STEP = 1024


def cluster(vectors: np.ndarray, distance: float = DEFAULT_DISTANCE) -> np.ndarray:
    """Cluster label of each row: average-linkage agglomerative clustering on cosine distance
    (on a sample when there are more than ``MAX_CLUSTERED`` rows, see there)."""
    if len(vectors) <= MAX_CLUSTERED:
        return _agglomerative(vectors, distance)
    rows = _normalised(np.asarray(vectors, dtype=np.float32))
    sample = np.sort(np.random.default_rng(0).choice(len(rows), MAX_CLUSTERED, replace=False))
    found = _agglomerative(vectors[sample], distance)
    # Average linkage's distance from a row to a theme is 1 − the row · the mean of the theme's normalised rows.
    sizes = np.bincount(found)
    centres = np.zeros((len(sizes), rows.shape[1]))
    np.add.at(centres, found, rows[sample])
    centres /= sizes[:, None]
    labels = np.full(len(rows), -1)
    labels[sample] = found
    rest = np.setdiff1d(np.arange(len(rows)), sample)
    for start in range(0, len(rest), _JOINED_PER_STEP):
        part = rest[start : start + _JOINED_PER_STEP]
        similarity = rows[part] @ centres.T
        nearest = similarity.argmax(axis=1)
        close = 1 - similarity[np.arange(len(part)), nearest] < distance  # the threshold at which clustering stops merging
        labels[part[close]] = nearest[close]
    left = np.flatnonzero(labels < 0)
    if len(left):
        labels[left] = cluster(vectors[left], distance) + len(sizes)
    return labels


def _agglomerative(vectors: np.ndarray, distance: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    if len(vectors) <= 1:
        return np.zeros(len(vectors), dtype=int)
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance)
    return model.fit_predict(vectors)


def distinctive_words(texts_by_group: Sequence[str], top: int = 3) -> list[list[str]]:
    """The ``top`` most distinctive words of each group's joined text (class-based TF-IDF);
    among equally distinctive words, the longer first, then the one said first.

    >>> distinctive_words(["Pension.", "Food waste is money in the bin"])
    [['pension'], ['waste', 'money', 'food']]
    >>> distinctive_words(["Honestly [laughs] I'm just genuinely happy", "It literally means cheaper parts"])
    [['happy'], ['cheaper', 'parts']]
    >>> distinctive_words(["(crosstalk) Fewer fines", "(The ERP) fewer fines"])
    [['fewer', 'fines'], ['erp', 'fewer', 'fines']]
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    stop = sorted((ENGLISH_STOP_WORDS - CONTENT_WORDS) | FILLERS)
    texts_by_group = [SOUND_TAGS.sub(" ", text) for text in texts_by_group]
    try:
        counts = CountVectorizer(stop_words=stop, token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b").fit(texts_by_group)
    except ValueError:  # only stop words
        return [[] for _ in texts_by_group]
    matrix = counts.transform(texts_by_group).toarray().astype(float)
    vocabulary = counts.get_feature_names_out()
    frequency = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    average = matrix.sum() / max(len(texts_by_group), 1)
    weight = frequency * np.log1p(average / np.maximum(matrix.sum(axis=0), 1))
    lengths = np.asarray([len(word) for word in vocabulary])
    named = []
    for text, row in zip(texts_by_group, weight):
        said = text.lower()
        first = np.asarray([said.find(word) % (len(said) + 1) for word in vocabulary])  # not found: last
        order = np.lexsort((first, -lengths, -np.round(row, 12)))
        named.append([str(vocabulary[j]) for j in order[:top] if row[j] > 0])
    return named


def representative(vectors: np.ndarray, members: Sequence[int], count: int) -> list[int]:
    """The ``count`` members closest (cosine) to the members' mean vector, closest first."""
    rows = _normalised(vectors[list(members)])
    centre = rows.mean(axis=0)
    order = np.argsort(-(rows @ centre), kind="stable")[:count]
    return [members[i] for i in order]


def find_themes(
    texts: Sequence[str],
    vectors: np.ndarray,
    *,
    sources: Sequence[str] | None = None,
    distance: float = DEFAULT_DISTANCE,
    quotes: int = 3,
) -> tuple[list[Theme], np.ndarray]:
    """Themes of ``texts`` (largest first) and the theme index of each text.

    Every text belongs to exactly one theme; a text like no other is a theme of one.
    """
    labels = cluster(np.asarray(vectors, dtype=np.float32), distance)
    groups = [list(np.flatnonzero(labels == label)) for label in np.unique(labels)]
    groups.sort(key=lambda members: (-len(members), members[0]))
    names = distinctive_words([" ".join(texts[i] for i in members) for members in groups])
    themes, assignment = [], np.zeros(len(texts), dtype=int)
    for index, (members, words) in enumerate(zip(groups, names)):
        assignment[members] = index
        quoted = representative(np.asarray(vectors), members, quotes)
        themes.append(
            Theme(
                name=" · ".join(words) or _clip(texts[members[0]]),
                words=words,
                count=len(members),
                members=[int(i) for i in members],
                quotes=[texts[i] for i in quoted],
                sources=len({sources[i] for i in members}) if sources is not None else 0,
                quoted=[int(i) for i in quoted],
            )
        )
    return themes, assignment


def _normalised(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def _clip(text: str, width: int = 40) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= width else text[: width - 1] + "…"
