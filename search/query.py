"""The query language readers already know, parsed once for both backends.

    midwife migration        both words (any order, stemmed)
    "brain drain"            the phrase
    -nursing  -"exact words" not this word or phrase
    nurses OR midwives       either (binds tighter than the implicit AND)
    migr                     the last word also as a prefix (names as they are typed)

The parser never fails: anything it does not understand is read as plain words, and only
runs of letters and digits reach a backend. Operators and punctuation of the engines'
own syntaxes (tsquery, FTS5) therefore never come from the reader.
"""

import re
import unicodedata
from dataclasses import dataclass, field

# A reader's query is cut at this length; longer ones are not sentences people type.
MAX_LENGTH = 1000
# Beyond this many words the rest is ignored (each costs a branch of the query).
MAX_TERMS = 12

WORD = re.compile(r"\w+", re.UNICODE)
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def fold(word):
    """Lower case without accents: "Santé" and "sante" are the same word."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text):
    """The words of `text`: runs of letters and digits (no underscore: it is no letter)."""
    return [word for word in WORD.findall(text.replace("_", " ")) if word]


@dataclass
class Term:
    """A word or a phrase (several words in order)."""

    words: list
    prefix: bool = False

    @property
    def is_phrase(self):
        return len(self.words) > 1


@dataclass
class Query:
    # Each clause is a list of alternatives (OR); the clauses are all required (AND).
    clauses: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.clauses)

    @property
    def all_words(self):
        return [word for clause in self.clauses for term in clause for word in term.words]


def clean(text):
    """The reader's text, cut to MAX_LENGTH, without NUL and other control characters."""
    text = (text or "")[:MAX_LENGTH]
    return "".join(" " if unicodedata.category(char) == "Cc" else char for char in text).strip()


def parse(text):
    """`text` as a Query (empty when it holds no searchable word)."""
    query = Query()
    pending_or = False
    count = 0
    tokens = TOKEN.findall(clean(text))
    last_positive = None
    for negated, phrase, bare in tokens:
        if count >= MAX_TERMS:
            break
        if bare == "OR":
            pending_or = bool(query.clauses)
            continue
        if bare in {"AND", "NOT"}:
            continue
        if bare:
            negated = "-" if bare.startswith("-") and len(bare) > 1 else ""
            found = words(bare)
        else:
            found = words(phrase)
        if not found:
            continue
        count += 1
        # "health-workforce" typed bare is read as the phrase of its pieces.
        term = Term(words=found)
        if negated:
            query.excluded.append(term)
            pending_or = False
            continue
        if pending_or:
            query.clauses[-1].append(term)
        else:
            query.clauses.append([term])
        pending_or = False
        last_positive = (term, bool(bare))
    # The last word typed bare may be unfinished: match it as a prefix too.
    if last_positive and last_positive[1] and not last_positive[0].is_phrase:
        last_positive[0].prefix = True
    return query
