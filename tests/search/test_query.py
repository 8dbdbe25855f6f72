"""The query language: what the parser makes of what readers type."""

import pytest

from search.query import MAX_LENGTH, parse


def _words(query):
    return [[(term.words, term.prefix) for term in clause] for clause in query.clauses]


def test_parse_words_are_all_required_and_the_last_is_also_a_prefix():
    query = parse("midwife migra")

    assert _words(query) == [[(["midwife"], False)], [(["migra"], True)]]


def test_parse_phrase_or_and_exclusion():
    query = parse('"brain drain" nurses OR midwives -nursing -"exact words"')

    assert _words(query) == [
        [(["brain", "drain"], False)],
        [(["nurses"], False), (["midwives"], True)],
    ]
    assert [term.words for term in query.excluded] == [["nursing"], ["exact", "words"]]


@pytest.mark.parametrize(
    "text",
    ["", "   ", '"', '""', "AND OR NOT", "*", "-", "\x00", "<>", "OR", "-health", "_ _"],
)
def test_parse_nothing_searchable_gives_an_empty_query(text):
    assert not parse(text)


def test_parse_cuts_long_queries_and_drops_control_characters():
    query = parse("health\x00care " + "word " * MAX_LENGTH)

    assert query.clauses[0][0].words == ["health"]
    assert query.clauses[1][0].words == ["care"]
    assert len(query.clauses) <= 12


def test_parse_keeps_only_letters_and_digits():
    query = parse("'; DROP TABLE x; -- <script>alert(1)</script> a:* b&c !d")

    for word in query.all_words:
        assert word.isalnum()
