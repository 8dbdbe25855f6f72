"""Words, stems and snippets shared by the backends."""

import functools
import html
import re
from itertools import islice

import snowballstemmer
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from core.markup import escaped
from search.query import WORD, fold

LANGUAGES = {"en": "english", "fr": "french"}
SNIPPET_WORDS = 30
# Snippets are cut from at most this much of a text (a long PDF's first pages).
SNIPPET_SOURCE = 50_000


@functools.cache
def _stemmer(language):
    return snowballstemmer.stemmer(LANGUAGES.get(language, "english"))


@functools.lru_cache(maxsize=50_000)
def stem(word, language):
    """The stem of a word, folded first (no accents, lower case) as the index does."""
    return _stemmer(language).stemWord(fold(word))


def stems_any_language(word):
    """The stems of a query word in every indexed language (records differ)."""
    return {stem(word, language) for language in LANGUAGES}


def stemmed_text(text, language):
    """`text` as the SQLite index stores it: its words folded and stemmed."""
    stemmer = _stemmer(language)
    return " ".join(stemmer.stemWords([fold(word) for word in WORD.findall(text)]))


def plain(text):
    """Text of rich text (a story page's HTML): tags out, entities decoded."""
    return html.unescape(strip_tags(text or ""))


def language_of(code):
    return code if code in LANGUAGES else "en"


def matcher(query):
    """Whether a word of a text is one of `query`'s (its stem, or a typed prefix): one
    matcher for a page's rows, so that each distinct word is folded and stemmed once."""
    wanted = set()
    prefixes = []
    for clause in query.clauses:
        for term in clause:
            for word in term.words:
                wanted |= stems_any_language(word)
            if term.prefix:
                prefixes.append(fold(term.words[-1]))

    # A page's texts repeat their words: each distinct word is folded and stemmed once.
    @functools.cache
    def matches(word):
        folded = fold(word)
        if any(folded.startswith(prefix) for prefix in prefixes):
            return True
        return bool(stems_any_language(word) & wanted)

    return matches


def snippet(texts, query, size=SNIPPET_WORDS, *, matches=None):
    """An escaped excerpt of the first text that holds a query word, the words marked
    (`matches`: the page's `matcher(query)`, made here if not given).

    Everything from the content is escaped; only the <mark> elements are markup.
    """
    return snippet_and_hit(texts, query, size, matches=matches)[0]


def snippet_and_hit(texts, query, size=SNIPPET_WORDS, *, matches=None):
    """`snippet()`, and whether it holds a query word (else it is the first text's start)."""
    matches = matches or matcher(query)
    texts = [text[:SNIPPET_SOURCE] for text in texts if text]
    for text in texts:
        # The words as strings (one pass in C), each looked at up to the first match;
        # then the positions of those the excerpt shows only.
        words = WORD.findall(text)
        hit = next((index for index, word in enumerate(words) if matches(word)), None)
        if hit is not None:
            first = max(0, hit - size // 3)
            spans = _spans(text, first + size + 1)
            shown = range(hit, min(first + size, len(spans)))
            hits = {index for index in shown if matches(words[index])}
            return _render(text, spans, first, size, hits), True
    if texts:
        return _render(texts[0], _spans(texts[0], size + 1), 0, size, set()), False
    return "", False


def _spans(text, count):
    """The (start, end) of the first `count` words of `text`."""
    return list(islice(map(re.Match.span, WORD.finditer(text)), count))


def _render(text, all_spans, offset, size, hits):
    """The excerpt of `size` words from the word `offset` (`all_spans`: at least the
    first `offset + size + 1` words' positions, or all of them), the words `hits` (among
    those shown) marked. The text between marked words is escaped in one piece (escaping
    goes character by character: the same as word by word)."""
    spans = all_spans[offset : offset + size]
    if not spans:
        return ""
    more = len(all_spans) > offset + size
    stop = all_spans[offset + size][0] if more else len(text)
    parts = ["… " if offset else ""]
    position = spans[0][0] if offset else 0
    for index in sorted(hits):
        start, end = all_spans[index]
        parts.append(escaped(text[position:start]))
        parts.append(f"<mark>{escaped(text[start:end])}</mark>")
        position = end
    # (The words after the last mark, and the space before the next word, cut.)
    parts.append(escaped(text[position:stop].rstrip()))
    if more:
        parts.append(" …")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 (every piece escaped above)


START, STOP = "\x02", "\x03"
_MARKED = re.compile(f"{START}(.*?){STOP}", re.DOTALL)


def marked(headline):
    """A database headline (matches between START and STOP) as escaped HTML."""
    text = _MARKED.sub(r"<mark>\1</mark>", escaped(headline or ""))
    return SafeString(text.replace(START, "").replace(STOP, ""))  # nosec B703 (escaped above)
