"""Two simple baselines that motive's model is measured against.

- :class:`KeywordRules`: outcome words (money, risk, time, feelings…) → outcome,
  small-talk words → none, anything else → output.
- :func:`tfidf_baseline`: TF-IDF word n-grams + logistic regression on the answer text alone.
"""

from __future__ import annotations

import re

import numpy as np

_OUTCOME = re.compile(
    r"\b(money|revenue|profit|margin|cost|costs|save|saves|saved|saving|savings|cheaper to run|pocket|afford|"
    r"risk|risks|lawsuit|liab\w*|fine|fines|safe|safety|hurt|injur\w*|die|death|accident|lose|losing|lost|"
    r"customers?|clients?|grow|growth|sales|sell|win|won|contract|reputation|"
    r"time|hours|weekend|family|kids|home|sleep|stress\w*|worr\w*|relie\w*|peace|confiden\w*|proud|pride|"
    r"happy|happier|feel|health\w*|enjoy|afraid|scared|anxious|calm|trust)\b",
    re.IGNORECASE,
)
_NONE = re.compile(
    r"^\W*(yeah|yes|no|nope|ok|okay|sure|hmm+|um+|uh+|right|exactly|i don'?t know|not sure|hi|hello|thanks|"
    r"thank you|good|fine|what do you mean)\W*$|\b(don'?t know|no idea|can'?t remember|sorry)\b",
    re.IGNORECASE,
)


class KeywordRules:
    """A rule baseline: no training, just word lists."""

    classes_ = np.asarray(["output", "outcome", "none"])

    def fit(self, texts, labels=None) -> KeywordRules:
        return self

    def predict(self, texts) -> np.ndarray:
        return np.asarray([self._label(str(t)) for t in texts])

    @staticmethod
    def _label(text: str) -> str:
        if _NONE.search(text) and len(text.split()) <= 8:
            return "none"
        return "outcome" if _OUTCOME.search(text) else "output"


def tfidf_baseline(seed: int = 0):
    """TF-IDF of word 1–2-grams into a balanced logistic regression (answer text only)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced", random_state=seed),
    )
