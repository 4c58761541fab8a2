"""The query parser on its own: operators, tolerance for stray syntax, and refusals with a reason."""
from __future__ import annotations

import pytest

from tracker.search.query_language import (
    Exact,
    Filter,
    Group,
    Negation,
    PrefixTerm,
    QueryError,
    Ref,
    Word,
    clean_text,
    parse,
)


def test_words_are_all_required():
    root = parse("digitale overheid").root
    assert isinstance(root, Group) and root.op == "and"
    assert [w.word for w in root.items] == ["digitale", "overheid"]


def test_or_binds_tighter_than_the_implicit_and():
    root = parse("decreet cyber OF informatieveiligheid").root
    assert isinstance(root, Group) and root.op == "and"
    assert isinstance(root.items[1], Group) and root.items[1].op == "or"


@pytest.mark.parametrize("text", ["a OR b", "a OF b", "a | b"])
def test_or_spellings(text):
    assert parse(text).root == Group("or", [Word("a", "a"), Word("b", "b")])


@pytest.mark.parametrize("text", ["-onderwijs", "NIET onderwijs", "NOT onderwijs"])
def test_exclusion_spellings(text):
    assert parse(text).root == Negation(Word("onderwijs", "onderwijs"))


def test_lower_case_of_and_niet_are_words_not_operators():
    root = parse("nu of nooit").root
    assert isinstance(root, Group) and root.op == "and" and len(root.items) == 3


def test_phrase_keeps_stop_words_and_folds_accents():
    assert parse('"ICT en Informatie"').root == Exact(["ict", "en", "informatie"])
    assert parse('"Artificiële"').root == Exact(["artificiele"])


def test_prefix_needs_three_letters():
    assert parse("beleid*").root == PrefixTerm("beleid")
    with pytest.raises(QueryError, match="minstens 3 letters"):
        parse("be*")


@pytest.mark.parametrize("text", ["VR 2020 2711 DOC.1294/1", "VR20202711 DOC.1294/1", "vr 2020 2711 doc 1294/1"])
def test_document_numbers_are_one_token_in_any_spelling(text):
    root = parse(text).root
    assert isinstance(root, Ref) and root.token == "vr20202711doc12941"


@pytest.mark.parametrize("text,token", [("DOC.1294/1", "doc12941"), ("doc 1294", "doc1294"),
                                        ("1294/1", "12941"), ("DOC.330/1BIS", "doc03301bis")])
def test_document_number_fragments(text, token):
    root = parse(text).root
    assert isinstance(root, Ref) and root.token == token


def test_project_code_is_a_reference():
    assert parse("21.4").root == Ref("21.4", ["21.4"])


def test_facet_filters_in_the_query():
    root = parse('soort:beslissing status:Gerealiseerd jaar:2021 beleidsdomein:"Zorg en gezondheid"').root
    assert root.items == [Filter("type", "decision"), Filter("status", "gerealiseerd"),
                          Filter("year", "2021"), Filter("domain", "zorg en gezondheid")]


@pytest.mark.parametrize("text,message", [
    ("soort:kat", "Onbekende soort"),
    ("status:klaar", "Onbekende status"),
    ("jaar:twintig", "geen jaartal"),
    ("x" * 501, "hoogstens 500 tekens"),
    (" ".join(f"w{i}" for i in range(40)), "te veel zoektermen"),
    ("(" * 20 + "a", "haakjes"),
])
def test_refusals_say_what_to_change(text, message):
    with pytest.raises(QueryError, match=message):
        parse(text)


@pytest.mark.parametrize("text,expected", [
    ('"digitale overheid', Exact(["digitale", "overheid"])),  # unclosed quote runs to the end
    ("(digitaal", Word("digitaal", "digitaal")),  # unclosed parenthesis
    ("digitaal)", Word("digitaal", "digitaal")),  # stray parenthesis
    ("*beleid", Word("beleid", "beleid")),  # leading wildcard: the word itself
    ("title:", None),
    ("*", None),
    ("OF", None),
    ("NIET", None),
    ("-", None),
    ("", None),
    ("\x00\x07\u200b", None),
])
def test_stray_syntax_gets_the_sensible_reading(text, expected):
    assert parse(text).root == expected


def test_unknown_field_is_read_as_words():
    assert parse("kleur:blauw").root == Exact(["kleur", "blauw"])


def test_control_characters_become_spaces():
    assert clean_text("a\x00b\tc\u200bd") == "a b c d"


def test_title_field_with_only_a_short_word_compiles_to_nothing(app):
    from whoosh import query as wq

    from tracker.search.index import get_index
    from tracker.search.query_language import Compiler

    with get_index(app).reading() as view:
        compiler = Compiler(view.searcher.reader())
        assert compiler.compile(parse("TITEL:0").root) is wq.NullQuery
        # Beside a real word it drops out, leaving that word's query alone.
        assert compiler.compile(parse("TITEL:0 digitaal").root) == compiler.compile(parse("digitaal").root)
    response = app.test_client().get("/api/v1/search", query_string={"q": "TITEL:0"})
    assert response.status_code == 200 and response.get_json()["total"] == 0


def test_title_field():
    assert parse("titel:datagedreven").root == Word("datagedreven", "datagedreven", title_only=True)
