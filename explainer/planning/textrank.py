"""TextRank over TF-IDF sentence vectors (pure numpy).

Sentences are nodes, cosine similarity of their TF-IDF vectors weights the edges, and
PageRank on that graph scores how central each sentence is to the article.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import TYPE_CHECKING, Sequence

import numpy as np

if TYPE_CHECKING:
    from ..shotlist import Source

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours said says say told according one two new will would
    mr mrs ms dr about after""".split()
)

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]+")


def tokens(text: str) -> list[str]:
    """Content words of a text: lower case, stopwords out, a light plural fold."""
    out: list[str] = []
    # Curly and straight apostrophes are one character; a possessive is its noun.
    for raw in _TOKEN.findall(text.replace("\u2019", "'")):
        word = raw.lower().strip("'-").removesuffix("'s")
        if len(word) < 3 or word in STOPWORDS:
            continue
        if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
            word = word[:-1]
        out.append(word)
    return out


def tfidf_matrix(docs: Sequence[list[str]]) -> tuple[np.ndarray, list[str]]:
    """L2-normalised TF-IDF rows for tokenised documents, and the vocabulary."""
    vocab = sorted({t for doc in docs for t in doc})
    index = {t: i for i, t in enumerate(vocab)}
    df = Counter(t for doc in docs for t in set(doc))
    n = len(docs)
    matrix = np.zeros((n, len(vocab)), dtype=np.float64)
    for row, doc in enumerate(docs):
        for term, count in Counter(doc).items():
            matrix[row, index[term]] = (1 + math.log(count)) * (math.log((1 + n) / (1 + df[term])) + 1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return matrix / norms, vocab


def pagerank(weights: np.ndarray, damping: float = 0.85, iterations: int = 100, tol: float = 1e-8) -> np.ndarray:
    """PageRank scores of a weighted, undirected graph given as a square matrix."""
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    out_sum = weights.sum(axis=1, keepdims=True)
    # A sentence that shares no words with any other links to all (a random jump).
    transition = np.where(out_sum > 0, weights / np.where(out_sum == 0, 1, out_sum), 1.0 / n)
    scores = np.full(n, 1.0 / n)
    for _ in range(iterations):
        updated = (1 - damping) / n + damping * transition.T @ scores
        if np.abs(updated - scores).sum() < tol:
            return updated
        scores = updated
    return scores


def textrank(sentences: Sequence[str]) -> np.ndarray:
    """Centrality score of each sentence, summing to 1."""
    docs = [tokens(s) for s in sentences]
    matrix, _ = tfidf_matrix(docs)
    similarity = matrix @ matrix.T
    np.fill_diagonal(similarity, 0.0)
    return pagerank(similarity)


def document_idf(source: "Source") -> dict[str, float]:
    """Inverse document frequency of each content word (as ``tokens`` gives it) over a source's
    sentences: how much a word says in this story."""
    docs = [set(tokens(text)) for text in source.sentences.values()]
    df = Counter(word for doc in docs for word in doc)
    n = len(docs) or 1
    return {word: math.log((1 + n) / (1 + count)) + 1 for word, count in df.items()}
