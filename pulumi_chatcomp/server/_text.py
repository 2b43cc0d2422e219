"""Deterministic text: hash-seeded word choice from a small vocabulary and the prompt's words.

Tokens are approximated as words with their leading whitespace and single punctuation marks,
so ``"".join(tokenize(text)) == text`` and a cut after *k* tokens is a prefix of the text.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from typing import Any

_TOKEN = re.compile(r"\s*[\w']+|\s*[^\w\s]|\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")

_VOCABULARY_WORDS = (
    "about account adapt advice answer approach balance basic bright build careful change "
    "clear close common consider context create current detail direct early easy effect "
    "example explain fact field final focus follow gentle good ground guide helpful idea "
    "important improve include insight issue keep kind large learn light likely little "
    "method model moment natural nearly notice offer open option order outline pattern "
    "place plain point practice precise process quiet quick reason record result review "
    "river short signal simple small solid sound source space steady step story strong "
    "summary system task thought through together useful value various view water while "
    "window words work "
)
VOCABULARY: tuple[str, ...] = tuple(_VOCABULARY_WORDS.split())

_STOPWORD_TEXT = (
    "about above after again also because been before being below between both could does "
    "doing down during each from further have having here into just more most once only "
    "other over please same should some such than that their them then there these they "
    "this those through under until very what when where which while will with would your "
    "write tell give make explain "
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def tokenize(text: str) -> list[str]:
    """Split ``text`` into approximate tokens that join back to it.

    >>> tokenize("Hi there, you.")
    ['Hi', ' there', ',', ' you', '.']
    """
    return _TOKEN.findall(text)


def count_tokens(text: str) -> int:
    return len(tokenize(text))


def seed_for(*parts: Any) -> int:
    """A stable 64-bit seed from JSON-able parts (no dependence on PYTHONHASHSEED)."""
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def topic_words(prompt: str, limit: int = 6) -> list[str]:
    """The prompt's distinctive words, in order of first appearance."""
    seen: list[str] = []
    for word in _WORD.findall(prompt):
        lowered = word.lower()
        if lowered not in _STOPWORDS and lowered not in seen:
            seen.append(lowered)
        if len(seen) == limit:
            break
    return seen


def sentences(rng: random.Random, topic: list[str], count: int | None = None) -> str:
    """A few sentences mixing the topic words into vocabulary words."""
    total = count if count is not None else rng.randint(2, 4)
    out: list[str] = []
    for _ in range(total):
        words = [
            rng.choice(topic) if topic and rng.random() < 0.3 else rng.choice(VOCABULARY)
            for _ in range(rng.randint(6, 12))
        ]
        if topic and not out:
            words[0] = rng.choice(topic)  # open on the prompt's topic, as an answer would
        sentence = " ".join(words)
        out.append(sentence[0].upper() + sentence[1:] + rng.choice(".!."))
    return " ".join(out)


def short_phrase(rng: random.Random, topic: list[str], words: int = 2) -> str:
    pool = topic or list(VOCABULARY)
    return " ".join(rng.choice(pool) for _ in range(words))
