"""What the classifiers see: numeric features of questions, answers and chain positions.

Every function here is pure: texts come in with an embedding lookup
(``vector(text) -> ndarray``), numbers come out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from motive.chains import CUE_COLUMNS, depths, next_in_chain, previous_in_chain, question_cues

Vector = Callable[[str], np.ndarray]
MAX_DEPTH = 4


@dataclass(frozen=True)
class AnswerContext:
    """One answer and what the interview tells about it.

    Only ``text`` is required: without the rest the classifier judges the words alone.
    """

    text: str
    sentences: tuple[str, ...] = ()
    question: str | None = None
    previous: tuple[str, ...] = ()  # sentences of the answer before it in the chain
    depth: int = -1  # answers of the chain before this one; -1 outside any chain
    in_interview: bool = False  # False: no context known
    next_question: str | None = None  # the question that follows this answer in its chain
    following: tuple[str, ...] = ()  # sentences of the answer to that question
    #: The question asked right after this answer in the interview, in whichever chain ("" where none
    #: is: the interview ends, or the next turn asks nothing): the reader reads it. None: not known.
    asked_next: str | None = None

    @property
    def has_next(self) -> bool:
        return self.next_question is not None or bool(self.following)

    @property
    def parts(self) -> tuple[str, ...]:
        return self.sentences or (self.text,)

    def alone(self) -> AnswerContext:
        """The same words with every piece of context removed."""
        return AnswerContext(self.text, self.sentences)

    def sentence(self, text: str) -> AnswerContext:
        """One of its sentences, read alone in the same context."""
        return replace(self, text=text, sentences=(text,))


def chain_contexts(
    texts: Sequence[str], sentences: Sequence[Sequence[str]], questions: Sequence[str | None], chain_of: list[int | None]
) -> list[AnswerContext]:
    """The answers of one interview, each with its question and its neighbours in its chain."""
    depth, previous, following = depths(chain_of), previous_in_chain(chain_of), next_in_chain(chain_of)
    return [
        AnswerContext(
            text,
            tuple(sentences[i]),
            questions[i],
            tuple(sentences[previous[i]]) if previous[i] is not None else (),
            depth[i],
            True,
            questions[following[i]] if following[i] is not None else None,
            tuple(sentences[following[i]]) if following[i] is not None else (),
            (questions[i + 1] or "") if i + 1 < len(texts) else "",
        )
        for i, text in enumerate(texts)
    ]


def mean_vector(texts: Sequence[str], vector: Vector, dimension: int) -> np.ndarray:
    if not texts:
        return np.zeros(dimension, dtype=np.float32)
    mean = np.mean([vector(t) for t in texts], axis=0)
    norm = np.linalg.norm(mean)
    return (mean / norm if norm else mean).astype(np.float32)


def question_vectors(questions: Sequence[str | None], vector: Vector, dimension: int) -> np.ndarray:
    """Each question's embedding, a row of zeros where an answer has no question."""
    zeros = np.zeros(dimension, dtype=np.float32)
    return np.stack([vector(q) if q else zeros for q in questions]) if questions else np.zeros((0, dimension), dtype=np.float32)


def own_width(dimension: int) -> int:
    """How many leading columns of :func:`answer_features` describe the answer and what came
    before it, leaving out what follows it: four embeddings and the scalars."""
    return 4 * dimension + len(_scalars(AnswerContext("")))


def _scalars(context: AnswerContext) -> list[float]:
    """The answer's place in its chain and its length."""
    depth = [float(context.in_interview and context.depth == d) for d in range(MAX_DEPTH)]
    return [
        float(context.in_interview),
        float(context.in_interview and context.depth < 0),
        *depth,
        float(context.in_interview and context.depth >= MAX_DEPTH),
        math.log1p(len(context.text.split())) / 5,
        min(len(context.parts), 8) / 8,
    ]


def answer_features(context: AnswerContext, vector: Vector, dimension: int) -> np.ndarray:
    """Mean and last sentence of the answer, its question, the previous answer, its place in the
    chain, and what the interviewer does next: the chain's next question and the answer to it.

    What follows tells a lot: an interviewer who asks "why does that matter?" heard something
    worth digging under; one who moves to another topic usually heard where the chain ends.
    """
    parts = context.parts
    zeros = np.zeros(dimension, dtype=np.float32)
    return np.concatenate(
        [
            mean_vector(parts, vector, dimension),
            vector(parts[-1]),
            vector(context.question) if context.question else zeros,
            mean_vector(context.previous, vector, dimension),
            np.asarray(_scalars(context), dtype=np.float32),
            # What follows, last: the tag estimators read only the columns before it (see own_width).
            vector(context.next_question) if context.next_question else zeros,
            mean_vector(context.following, vector, dimension),
            np.asarray([float(context.in_interview and not context.has_next)], dtype=np.float32),
        ]
    )


def question_rows(questions: Sequence[str | None], sentences: Sequence[Sequence[str]], vector: Vector, dimension: int) -> np.ndarray:
    """One row of :func:`question_features` per answer of one interview, in order.

    ``questions[i]`` is the question answer ``i`` replies to (None: none asked) and
    ``sentences[i]`` that answer's sentences.
    """
    if not questions:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack(
        [
            question_features(q, sentences[i - 1] if i else (), sentences[i], questions[i - 1] if i else None, (i, len(questions)), vector, dimension)
            for i, q in enumerate(questions)
        ]
    )


def question_features(
    question: str | None,
    previous: Sequence[str],
    reply: Sequence[str],
    asked_before: str | None,
    place: tuple[int, int],
    vector: Vector,
    dimension: int,
) -> np.ndarray:
    """A question's embedding, its likeness to the answer before it (``previous``: that answer's
    sentences), the answer it gets (``reply``) and how close that stays to the answer before,
    the question asked before it, and its cues (see :func:`motive.chains.question_cues`,
    always the last columns). ``place`` is (position, count): the index of the exchange it
    opens among the interview's exchanges, and how many there are."""
    zeros = np.zeros(dimension, dtype=np.float32)
    embedded = vector(question) if question else zeros
    before = mean_vector(previous, vector, dimension)
    answer = mean_vector(reply, vector, dimension)
    earlier = vector(asked_before) if asked_before else zeros
    cues = question_cues(question, *place, " ".join(previous))
    return np.concatenate(
        [embedded, embedded * before, answer, earlier, np.asarray([float(embedded @ before), float(answer @ before), *cues], dtype=np.float32)]
    )


#: How many scalar columns open :func:`terminal_features` (what a model trained before the
#: embeddings were added reads).
TERMINAL_SCALARS = 9


def terminal_features(
    chain: Sequence[int],
    candidates: Sequence[int],
    p_outcome: np.ndarray,
    means: np.ndarray,
    words: Sequence[int],
    asked: np.ndarray | None = None,
) -> np.ndarray:
    """One row per candidate (an outcome answer of the chain): how deep, how new, how sure, then
    what it says, what it answers and what the interviewer asked next.

    ``chain`` and ``candidates`` are answer indices; ``p_outcome``, ``means`` (mean
    sentence embeddings), ``words`` and ``asked`` (the embedding of each answer's question, a
    row of zeros where there is none) are indexed by answer. The first
    :data:`TERMINAL_SCALARS` columns are the scalars; then the candidate's embedding, its
    question's, and the next question of the chain's (zeros after the chain's last answer).
    Without ``asked``, the scalars alone: a model trained on them reads only those.
    """
    rows, positions = [], []
    for rank, index in enumerate(candidates):
        earlier = [means[i] @ means[index] for i in candidates[:rank]]
        later = [means[i] @ means[index] for i in candidates[rank + 1 :]]
        position = chain.index(index)
        positions.append(position)
        rows.append(
            [
                float(p_outcome[index]),
                float(rank == len(candidates) - 1),
                min(len(candidates) - rank - 1, 4) / 4,
                position / max(len(chain) - 1, 1),
                float(position == len(chain) - 1),
                max(earlier, default=0.0),
                max(later, default=0.0),
                math.log1p(words[index]) / 5,
                min(position, 6) / 6,
            ]
        )
    scalars = np.asarray(rows, dtype=np.float32).reshape(len(candidates), TERMINAL_SCALARS)
    if asked is None:
        return scalars
    nothing = np.zeros(means.shape[1], dtype=np.float32)
    following = [chain[position + 1] if position + 1 < len(chain) else None for position in positions]
    said = means[list(candidates)].reshape(len(candidates), -1)
    answering = asked[list(candidates)].reshape(len(candidates), -1)
    next_asked = np.stack([asked[i] if i is not None else nothing for i in following]).reshape(len(candidates), -1)
    return np.hstack([scalars, said, answering, next_asked]).astype(np.float32)



# --- rules that stand in for classifiers without annotated interviews to learn from ---------------


class CueQuestionKinds:
    """Question kinds from cues alone, for models trained without annotated interviews."""

    rule = "cue-question-kinds"
    classes_ = np.asarray(["aside", "probe", "root"])

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        # The last columns are motive.chains.question_cues, named by CUE_COLUMNS.
        cues = dict(zip(CUE_COLUMNS, matrix[:, -len(CUE_COLUMNS):].T))
        root, probe, small_talk, first = cues["root_cue"], cues["probe_cue"], cues["small_talk_cue"], cues["first"]
        kinds = np.where(root > 0, "root", np.where((small_talk > 0) & (probe == 0), "aside", "probe"))
        return np.where((first > 0) & (small_talk == 0), "root", kinds)


class LastOutcome:
    """Terminal why = the chain's last outcome answer (column 1 of :func:`terminal_features`),
    for models trained without annotated chains."""

    rule = "last-outcome"
    classes_ = np.asarray([False, True])

    def predict_proba(self, matrix: np.ndarray) -> np.ndarray:
        is_last = matrix[:, 1]
        return np.column_stack([1 - is_last, is_last])


#: The rules by the name a model folder records them under (``linear.safetensors``).
RULES = {rule.rule: rule for rule in (CueQuestionKinds, LastOutcome)}
