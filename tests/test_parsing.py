"""Tests for tracker.parsing: amounts, Flemish Government document numbers and Dutch dates."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.parsing import (
    SUFFIXES,
    AmountError,
    DateError,
    DocumentNumber,
    DocumentNumberError,
    find_document_numbers,
    format_dutch_date,
    format_euro,
    normalise_document_token,
    parse_amount,
    parse_document_number,
    parse_document_numbers,
    parse_dutch_date,
)

# No example database: keeps the work tree clean and the runs independent.
PROPERTY = settings(max_examples=200, database=None, deadline=None)

NBSP, NNBSP = "\u00a0", "\u202f"


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("39.500.000EUR", 39_500_000),
        ("€ 1.362.000", 1_362_000),
        ("€  922.500", 922_500),
        ("5 000 000 €", 5_000_000),
        ("21.000 euro", 21_000),
        ("1.478.000 euro", 1_478_000),
        ("15.000.000 euro", 15_000_000),
        ("EUR 250.000", 250_000),
        ("€ 0", 0),
        (f"5{NBSP}000{NBSP}000 €", 5_000_000),
        (f"€ 1{NNBSP}362{NNBSP}000", 1_362_000),
        (f"€{NBSP}1.362.000", 1_362_000),
        ("1.362.000,00 €", 1_362_000),
        ("€ 1.362.000,-", 1_362_000),
        ("1.362.000,0", 1_362_000),
        ("1.362.000", 1_362_000),
        ("1.362", 1_362),
        ("1362000", 1_362_000),
        ("€1.000", 1_000),
        ("1.000€", 1_000),
        ("Euro 12", 12),
        ("  € 7  ", 7),
        ("999", 999),
    ],
)
def test_parse_amount_examples(text: str, expected: int) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "leeg"),
        ("   ", "leeg"),
        ("€", "geen getal"),
        ("-5", "negatie"),
        ("€ -1.000", "negatie"),
        ("- € 1.000", "negatie"),
        ("1.36.000", "groepen van drie cijfers verwacht na het scheidingsteken"),
        ("1.3620.000", "groepen van drie cijfers"),
        ("1362.500", "groepen van drie cijfers"),
        ("1 36 000", "groepen van drie cijfers"),
        ("1.362.000,50", "hele euro"),
        ("€ 1.362.000,05", "eurocent"),
        ("1.362 000", "door elkaar"),
        ("€ 1.000 €", "muntteken"),
        ("EUR 1.000 euro", "muntteken"),
        ("1362.5", "decimaalteken"),
        ("1.50", "decimaalteken"),
        ("1.000 dollar", "dollar"),
        ("12abc", "abc"),
        ("$ 1.000", "$"),
        ("1.000,", "na de komma"),
        ("1.000,5,0", "meer dan één komma"),
        ("1.000,abc", "abc"),
        (",50", "voor de komma"),
        ("1..000", "zonder cijfers"),
        ("1.000.", "zonder cijfers"),
        ("0.500", "voorloopnul"),
        ("1.000 € 2", "midden"),
        ("1" + "0" * 20, "onrealistisch groot"),
    ],
)
def test_parse_amount_errors(text: str, fragment: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    message = str(info.value)
    assert message.startswith(f'Ongeldig bedrag "{text}"')
    assert fragment in message


def test_parse_amount_exact_message() -> None:
    with pytest.raises(AmountError) as info:
        parse_amount("1.36.000")
    assert str(info.value) == (
        'Ongeldig bedrag "1.36.000": groepen van drie cijfers verwacht na het scheidingsteken.'
    )


# Users read these messages: each path of the parser has its exact text (and mutation testing checks
# that every message and boundary is pinned down).
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "het bedrag is leeg"),
        ("€", "er staat geen getal in"),
        ("-5", "negatieve bedragen zijn niet toegelaten"),
        ("€ -1.000", "negatieve bedragen zijn niet toegelaten"),
        ("1.000,", "er staan geen cijfers na de komma"),
        ("1.000,abc", 'onverwachte letters "abc"; alleen de munteenheid (€, EUR of euro) mag bij het getal staan'),
        ("1.000 dollar", 'onverwachte letters "dollar"; alleen de munteenheid (€, EUR of euro) mag bij het getal staan'),
        ("1.000,5-", 'ongeldige decimalen ",5-" na de komma'),
        ("1.362.000,05", "het bedrag bevat eurocent (,05); de tracker bewaart enkel hele euro's, rond het bedrag "
                         "af op een hele euro"),
        ("1.362 000", "punt en spatie staan door elkaar als scheidingsteken voor duizendtallen"),
        (".50", "een punt als scheidingsteken zonder cijfers errond"),
        ("1  000", "een spatie als scheidingsteken zonder cijfers errond"),
        ("1.50", "de punt wordt als decimaalteken gebruikt; in Belgische notatie is de punt het scheidingsteken "
                 "voor duizendtallen en de komma het decimaalteken"),
        ("1.50,00", "groepen van drie cijfers verwacht na het scheidingsteken"),
        ("0.500", "een voorloopnul voor het scheidingsteken van duizendtallen"),
        ("€ 1.000 €", "het bevat meer dan één muntteken; schrijf €, EUR of euro maar één keer"),
        ("1.000 € 2", "het muntteken staat midden in het bedrag"),
        ("$ 1.000", 'onverwacht teken "$"'),
        ("1.000,5,0", "er staat meer dan één komma in"),
        (",50", "er staan geen cijfers voor de komma"),
        ("1.000.000.000.000.000", "het bedrag is onrealistisch groot (meer dan 15 cijfers)"),
    ],
)
def test_parse_amount_exact_messages(text: str, reason: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    assert str(info.value) == f'Ongeldig bedrag "{text}": {reason}.'


def test_amount_limits_and_non_text() -> None:
    assert parse_amount("999.999.999.999.999") == 10**15 - 1  # MAX_AMOUNT_DIGITS digits
    assert parse_amount("0" * 20 + "1") == 1  # leading zeros do not count
    for value in (1000, None):
        with pytest.raises(AmountError) as info:
            parse_amount(value)  # type: ignore[arg-type]
        assert str(info.value) == f"Ongeldig bedrag {value!r}: tekst verwacht."
    with pytest.raises(TypeError) as type_info:
        format_euro(1.5)  # type: ignore[arg-type]
    assert str(type_info.value) == "Een bedrag in hele euro's (int) verwacht, niet 1.5."


def test_amount_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        parse_amount("veel geld")


def test_parse_amount_rejects_non_text() -> None:
    with pytest.raises(AmountError):
        parse_amount(1000)  # type: ignore[arg-type]


def test_parse_amount_rejects_unicode_digits() -> None:
    with pytest.raises(AmountError):
        parse_amount("€ ١٢٣")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "€ 0"),
        (7, "€ 7"),
        (999, "€ 999"),
        (1000, "€ 1.000"),
        (922_500, "€ 922.500"),
        (1_362_000, "€ 1.362.000"),
        (39_500_000, "€ 39.500.000"),
        (-1000, "€ -1.000"),
    ],
)
def test_format_euro(amount: int, text: str) -> None:
    assert format_euro(amount) == text


@pytest.mark.parametrize("value", [True, 1.5, "1000", None])
def test_format_euro_rejects_non_int(value: object) -> None:
    with pytest.raises(TypeError):
        format_euro(value)  # type: ignore[arg-type]


@PROPERTY
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_format_euro_round_trip(amount: int) -> None:
    assert parse_amount(format_euro(amount)) == amount


@st.composite
def belgian_spellings(draw: st.DrawFn) -> tuple[int, str]:
    """An amount together with one of its Belgian spellings."""
    amount = draw(st.integers(min_value=0, max_value=10**12 - 1))
    separator = draw(st.sampled_from([".", " ", NBSP, NNBSP, ""]))
    number = f"{amount:,}".replace(",", separator)
    # ",000" after one to three bare digits ("5,000") is refused as ambiguous; see below.
    ambiguous = 1 <= amount <= 999
    number += draw(st.sampled_from(["", ",00", ",0", ",-"] + ([] if ambiguous else [",000"])))
    currency = draw(st.sampled_from(["", "€", "EUR", "euro", "Euro", "eur"]))
    gap = draw(st.sampled_from(["", " ", "  ", NBSP]))
    if currency and draw(st.booleans()):
        text = f"{currency}{gap}{number}"
    elif currency:
        text = f"{number}{gap}{currency}"
    else:
        text = number
    padding = draw(st.sampled_from(["", " ", "\t"]))
    return amount, f"{padding}{text}{padding}"


@PROPERTY
@given(belgian_spellings())
def test_parse_amount_belgian_spellings(case: tuple[int, str]) -> None:
    amount, text = case
    assert parse_amount(text) == amount


@PROPERTY
@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=99))
def test_parse_amount_rejects_nonzero_cents(amount: int, cents: int) -> None:
    with pytest.raises(AmountError, match="hele euro"):
        parse_amount(f"{format_euro(amount)},{cents:02d}")


@pytest.mark.parametrize(
    ("text", "thousands", "decimals"),
    [
        ("5,000 EUR", '"5.000" als u € 5.000 bedoelt', '"5,00" als u € 5 bedoelt'),
        ("12,500 EUR", '"12.500" als u € 12.500 bedoelt', '"12,50" als u € 12,50 bedoelt'),
        ("€ 999,999", '"999.999" als u € 999.999 bedoelt', '"999,99" als u € 999,99 bedoelt'),
        ("1,000", '"1.000" als u € 1.000 bedoelt', '"1,00" als u € 1 bedoelt'),
        (f"5,000{NBSP}€", '"5.000" als u € 5.000 bedoelt', '"5,00" als u € 5 bedoelt'),
    ],
)
def test_ambiguous_comma_amounts_are_refused(text: str, thousands: str, decimals: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    message = str(info.value)
    assert message.startswith(f'Ongeldig bedrag "{text}": dubbelzinnig: een komma met precies drie cijfers')
    assert f"schrijf {thousands} (punt voor duizendtallen) of {decimals} (komma voor decimalen)." in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5,00", 5),  # two decimals: a decimal comma
        ("5,0", 5),
        ("5,0000", 5),  # four decimals: a decimal comma
        ("1234,000", 1234),  # four digits before the comma: no thousands group
        ("0,000", 0),  # a leading zero: no thousands group
        ("5.000,000", 5000),  # the thousands point makes the comma decimal
        ("5 000,000 €", 5000),
        ("12.500 EUR", 12_500),
    ],
)
def test_unambiguous_comma_amounts_are_read(text: str, expected: int) -> None:
    assert parse_amount(text) == expected


def test_comma_as_thousands_separator_is_refused_with_the_belgian_spelling() -> None:
    with pytest.raises(AmountError) as info:
        parse_amount("€ 1,362,000")
    assert str(info.value) == (
        'Ongeldig bedrag "€ 1,362,000": de komma wordt als scheidingsteken voor duizendtallen gebruikt; '
        'in Belgische notatie is dat de punt: schrijf "1.362.000".'
    )
    with pytest.raises(AmountError, match="meer dan één komma"):
        parse_amount("1,36,000")


@PROPERTY
@given(
    st.integers(min_value=1, max_value=999),
    st.from_regex(r"[0-9]{3}", fullmatch=True),
    st.sampled_from(["", " EUR", " €", "€ ", "EUR ", " euro"]),
)
def test_ambiguous_amounts_are_refused_and_the_advice_is_right(integer: int, digits: str, currency: str) -> None:
    text = f"{currency}{integer},{digits}" if currency.endswith(" ") else f"{integer},{digits}{currency}"
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    advice = re.findall(r'schrijf "([^"]+)" als u € ([0-9.,]+) bedoelt .* of "([^"]+)" als u € ([0-9.,]+) bedoelt',
                        str(info.value))
    assert advice, str(info.value)
    (thousands, thousands_value, decimal, decimal_value), = advice
    assert parse_amount(thousands) == integer * 1000 + int(digits)
    assert format_euro(parse_amount(thousands)) == f"€ {thousands_value}"
    if digits.startswith("00"):
        assert parse_amount(decimal) == integer and decimal_value == str(integer)
    else:
        assert decimal_value == decimal
        with pytest.raises(AmountError, match="eurocent"):
            parse_amount(decimal)


@PROPERTY
@given(st.text())
def test_parse_amount_arbitrary_text(text: str) -> None:
    try:
        result = parse_amount(text)
    except AmountError as error:
        assert_dutch_error(error, "Ongeldig bedrag", text)
        return
    assert isinstance(result, int) and result >= 0
    assert parse_amount(format_euro(result)) == result


@PROPERTY
@given(st.text(alphabet="0123456789.,  -€EURO euro\u00a0", max_size=20))
def test_parse_amount_never_invents_digits(text: str) -> None:
    try:
        result = parse_amount(text)
    except AmountError:
        return
    integer_part = text.split(",")[0]
    assert result == int(re.sub(r"[^0-9]", "", integer_part))


# --------------------------------------------------------------------------- document numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("VR 2020 2711 DOC.1294/1", DocumentNumber(2020, 27, 11, 1294, 1, 1)),
        ("VR 2021 0204 DOC.0330/1BIS", DocumentNumber(2021, 2, 4, 330, 1, 2)),
        ("VR 2025 2103 DOC.0167/1TER", DocumentNumber(2025, 21, 3, 167, 1, 3)),
        ("VR20202606 DOC.0643/1", DocumentNumber(2020, 26, 6, 643, 1, 1)),
        ("VR2015 2703 DOC.0283/1BIS", DocumentNumber(2015, 27, 3, 283, 1, 2)),
        ("VR 2021 1712 DOC 1462/1", DocumentNumber(2021, 17, 12, 1462, 1, 1)),
        ("vr 2020 2711 doc.1294/1", DocumentNumber(2020, 27, 11, 1294, 1, 1)),
        ("  VR   2020  2711   DOC.1294/1  ", DocumentNumber(2020, 27, 11, 1294, 1, 1)),
        ("VR 2020 2711 DOC.1294/1 BIS", DocumentNumber(2020, 27, 11, 1294, 1, 2)),
        ("VR 2020 2711 DOC.1294/1 bis", DocumentNumber(2020, 27, 11, 1294, 1, 2)),
        ("VR/2020/2711/DOC.1294/1", DocumentNumber(2020, 27, 11, 1294, 1, 1)),
        ("VR-2020-2711-DOC.1294/1", DocumentNumber(2020, 27, 11, 1294, 1, 1)),
        ("VR 2020 2711 DOC. 1294 / 12", DocumentNumber(2020, 27, 11, 1294, 12, 1)),
        (f"VR{NBSP}2020{NBSP}2711 DOC.1294/1", DocumentNumber(2020, 27, 11, 1294, 1, 1)),
        ("VR 2020 2711 DOC.1294/2QUATER", DocumentNumber(2020, 27, 11, 1294, 2, 4)),
        ("VR 2020 2711 DOC.1294/1DECIES", DocumentNumber(2020, 27, 11, 1294, 1, 10)),
    ],
)
def test_parse_document_number_examples(text: str, expected: DocumentNumber) -> None:
    assert parse_document_number(text) == expected
    assert parse_document_numbers(text) == [expected]


def test_document_number_properties() -> None:
    doc = parse_document_number("VR 2021 0204 DOC.0330/1BIS")
    assert doc.canonical == "VR 2021 0204 DOC.0330/1BIS"
    assert str(doc) == doc.canonical
    assert doc.meeting_date == date(2021, 4, 2)
    assert doc.case_key == "2021-0330"
    assert doc.suffix == "BIS"
    other = parse_document_number("VR 2020 2711 DOC.1294/1")
    assert other.meeting_date == date(2020, 11, 27)
    assert other.case_key == "2020-1294"
    assert other.canonical == "VR 2020 2711 DOC.1294/1"
    assert other.suffix == ""


def test_case_key_groups_pieces_of_a_case() -> None:
    first, second = parse_document_numbers("VR 2021 1712 DOC 1462/1 en 2")
    assert first.case_key == second.case_key == "2021-1462"


def test_sort_key_is_chronological() -> None:
    docs = [
        parse_document_number("VR 2021 0102 DOC.0001/1"),
        parse_document_number("VR 2020 2711 DOC.1294/2"),
        parse_document_number("VR 2020 2711 DOC.1294/1BIS"),
        parse_document_number("VR 2020 2711 DOC.1294/1"),
    ]
    ordered = sorted(docs, key=lambda d: d.sort_key)
    assert [d.canonical for d in ordered] == [
        "VR 2020 2711 DOC.1294/1",
        "VR 2020 2711 DOC.1294/1BIS",
        "VR 2020 2711 DOC.1294/2",
        "VR 2021 0102 DOC.0001/1",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("VR 2021 1712 DOC 1462/1 en 2", ["VR 2021 1712 DOC.1462/1", "VR 2021 1712 DOC.1462/2"]),
        (
            "VR 2021 1712 DOC 1462/1 EN 2BIS",
            ["VR 2021 1712 DOC.1462/1", "VR 2021 1712 DOC.1462/2BIS"],
        ),
        (
            "VR 2021 1712 DOC 1462/1, 2 en 3",
            ["VR 2021 1712 DOC.1462/1", "VR 2021 1712 DOC.1462/2", "VR 2021 1712 DOC.1462/3"],
        ),
        (
            "VR 2020 2711 DOC.1294/1, VR 2021 0204 DOC.0330/1BIS",
            ["VR 2020 2711 DOC.1294/1", "VR 2021 0204 DOC.0330/1BIS"],
        ),
        (
            "VR 2020 2711 DOC.1294/1; VR 2025 2103 DOC.0167/1TER;",
            ["VR 2020 2711 DOC.1294/1", "VR 2025 2103 DOC.0167/1TER"],
        ),
        (
            "VR 2020 2711 DOC.1294/1 en DOC.1295/1",
            ["VR 2020 2711 DOC.1294/1", "VR 2020 2711 DOC.1295/1"],
        ),
        ("VR 2020 2711 DOC.1294/1 en 1", ["VR 2020 2711 DOC.1294/1"]),
    ],
)
def test_parse_document_numbers_lists(text: str, expected: list[str]) -> None:
    assert [d.canonical for d in parse_document_numbers(text)] == expected


def test_parse_document_number_wants_exactly_one() -> None:
    with pytest.raises(DocumentNumberError, match="precies één"):
        parse_document_number("VR 2021 1712 DOC 1462/1 en 2")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("VR 2021 3102 DOC.0001/1", "31 februari 2021 bestaat niet"),
        ("VR 2023 2902 DOC.0001/1", "29 februari 2023 bestaat niet"),
        ("VR 2021 1313 DOC.0001/1", "maand 13 bestaat niet"),
        ("VR 2021 0012 DOC.0001/1", "dag 0 bestaat niet"),
        ("VR 2021 0204 DOC.0330/1QUINTIES", 'onbekend achtervoegsel "QUINTIES"'),
        ("VR 2021 0204 DOC.0330/1 XYZ", "onbekend achtervoegsel"),
        ("VR 2021 0204 0330/1", "DOC-deel ontbreekt"),
        ("VR 2021 0204", "DOC-deel ontbreekt"),
        ("VR 1975 0204 DOC.0330/1", "jaar 1975 ligt buiten 1980–2100"),
        ("VR 2101 0204 DOC.0330/1", "jaar 2101 ligt buiten"),
        ("DOC.1294/1", "VR-deel"),
        ("1294/1", "VR- en DOC-deel"),
        ("VR DOC.1294/1", "jaartal"),
        ("VR 2021 DOC.0330/1", "vergaderdatum"),
        ("VR 2021 0204 DOC.330/1", "vier cijfers"),
        ("VR 2021 0204 DOC.12345/1", "vier cijfers"),
        ("VR 2021 0204 DOC.0000/1", "0000 bestaat niet"),
        ("VR 2021 0204 DOC./1", "dossiernummer ontbreekt"),
        ("VR 2021 0204 DOC.0330", "positie ontbreekt"),
        ("VR 2021 0204 DOC.0330/0", "positie"),
        ("VR 2021 0204 DOC.0330/01", "voorloopnul"),
        ("VR 2021 0204 DOC.0330/1BIS extra", "onverwachte tekst"),
        ("VR 2021 0204 DOC.0330/1 en x", 'in het deel "x"'),
        ("nota aan de Vlaamse Regering", "geen documentnummer herkend"),
        ("", "leeg"),
        (" , ; ", "leeg"),
    ],
)
def test_parse_document_number_errors(text: str, fragment: str) -> None:
    with pytest.raises(DocumentNumberError) as info:
        parse_document_numbers(text)
    message = str(info.value)
    assert message.startswith(f'Ongeldig documentnummer "{text}"')
    assert fragment in message


EXPECTED = "(verwacht: VR jjjj DDMM DOC.nnnn/p, bv. VR 2020 2711 DOC.1294/1)"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("VR 1979 0101 DOC.0001/1", "jaar 1979 ligt buiten 1980–2100"),
        ("VR 2101 0101 DOC.0001/1", "jaar 2101 ligt buiten 1980–2100"),
        ("VR 2021 0204 DOC.0330/1000", 'de positie "/1000" is ongeldig (een getal van 1 tot 999, zonder voorloopnul)'),
        ("VR 2021 0204 DOC.0330/1QUINTIES", 'onbekend achtervoegsel "QUINTIES" (toegelaten: BIS, TER, QUATER, '
                                            "QUINQUIES, SEXIES, SEPTIES, OCTIES, NOVIES, DECIES)"),
        ("doc.1294/1", f"het VR-deel met jaar en vergaderdatum ontbreekt {EXPECTED}"),
        ("nota 1294", f"geen documentnummer herkend {EXPECTED}"),
        ("1294/1", f"alleen een nummer, zonder VR- en DOC-deel {EXPECTED}"),
        ("VR 2021 0204 DOC./1", "het dossiernummer ontbreekt na DOC (bv. DOC.1294)"),
        ("VR 2021 0204 DOC.0330", "de positie ontbreekt na het dossiernummer (bv. DOC.1294/1)"),
        ("VR DOC.1294/1", "het jaartal (vier cijfers) ontbreekt na VR"),
        ("VR 2021 DOC.0330/1", "de vergaderdatum (DDMM, vier cijfers) ontbreekt na het jaartal"),
        ("VR 2021 0204 DOC.0000/1", "dossiernummer 0000 bestaat niet"),
        ("", "het documentnummer is leeg"),
        ("VR 2021 1712 DOC.1462/1, DOC.1463",
         'de positie ontbreekt na het dossiernummer (bv. DOC.1294/1) (in het deel "DOC.1463")'),
        ("VR 2021 1712 DOC.1462/1 en 0",
         'de positie "/0" is ongeldig (een getal van 1 tot 999, zonder voorloopnul) (in het deel "0")'),
    ],
)
def test_parse_document_number_exact_messages(text: str, reason: str) -> None:
    with pytest.raises(DocumentNumberError) as info:
        parse_document_numbers(text)
    assert str(info.value) == f'Ongeldig documentnummer "{text}": {reason}.'


@pytest.mark.parametrize(
    "text", ["VR 1980 0101 DOC.0001/1", "VR 2100 3112 DOC.0001/1", "VR 2021 0204 DOC.0330/100",
             "VR 2021 0204 DOC.0330/999"])
def test_document_number_limits_are_inclusive(text: str) -> None:
    assert parse_document_number(text).canonical == text


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"day": 0}, "dag 0 bestaat niet"),
        ({"day": 100}, "dag 100 ligt buiten 0–99"),
        ({"month": 0}, "maand 0 bestaat niet"),
        ({"month": 100}, "maand 100 ligt buiten 0–99"),
        ({"day": "x"}, "dag moet een geheel getal zijn, niet 'x'"),
        ({"month": "x"}, "maand moet een geheel getal zijn, niet 'x'"),
        ({"year": "x"}, "jaar moet een geheel getal zijn, niet 'x'"),
        ({"year": 1979}, "jaar 1979 ligt buiten 1980–2100"),
        ({"case": 10000}, "dossiernummer 10000 ligt buiten 1–9999"),
        ({"case": "x"}, "dossiernummer moet een geheel getal zijn, niet 'x'"),
        ({"position": 1000}, "positie 1000 ligt buiten 1–999"),
        ({"position": "x"}, "positie moet een geheel getal zijn, niet 'x'"),
        ({"version": 11}, "versie 11 ligt buiten 1–10"),
        ({"version": True}, "versie moet een geheel getal zijn, niet True"),
    ],
)
def test_document_number_fields_exact_messages(fields: dict[str, object], problem: str) -> None:
    values: dict[str, object] = {"year": 2021, "day": 2, "month": 4, "case": 330, "position": 1, "version": 1}
    values.update(fields)
    with pytest.raises(DocumentNumberError) as info:
        DocumentNumber(**values)  # type: ignore[arg-type]
    assert str(info.value) == f"Ongeldig documentnummer: {problem}."


def test_document_number_functions_refuse_non_text() -> None:
    for value in (None, 5):
        with pytest.raises(DocumentNumberError) as info:
            parse_document_numbers(value)  # type: ignore[arg-type]
        assert str(info.value) == f"Ongeldig documentnummer {value!r}: tekst verwacht."
        with pytest.raises(DocumentNumberError) as info:
            find_document_numbers(value)  # type: ignore[arg-type]
        assert str(info.value) == f"Ongeldige tekst {value!r}: tekst verwacht."
        assert normalise_document_token(value) == ""  # type: ignore[arg-type]


def test_document_number_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        parse_document_number("VR 2021 3102 DOC.0001/1")


@pytest.mark.parametrize(
    "fields",
    [
        (2021, 31, 2, 1, 1, 1),
        (1979, 1, 1, 1, 1, 1),
        (2021, 1, 1, 0, 1, 1),
        (2021, 1, 1, 10000, 1, 1),
        (2021, 1, 1, 1, 0, 1),
        (2021, 1, 1, 1, 1, 0),
        (2021, 1, 1, 1, 1, 11),
        (2021, 1, 1, True, 1, 1),
        (2021, 1, 1, "12", 1, 1),
    ],
)
def test_document_number_constructor_validates(fields: tuple) -> None:
    with pytest.raises(DocumentNumberError, match="Ongeldig documentnummer"):
        DocumentNumber(*fields)


def test_document_number_is_frozen_and_hashable() -> None:
    doc = DocumentNumber(2020, 27, 11, 1294, 1)
    assert doc.version == 1
    with pytest.raises(AttributeError):
        doc.case = 5  # type: ignore[misc]
    assert len({doc, DocumentNumber(2020, 27, 11, 1294, 1, 1)}) == 1


# ---- search tokens


@pytest.mark.parametrize(
    "query",
    [
        "DOC.1294/1",
        "VR 2020 2711 DOC.1294/1",
        "VR20202711 DOC.1294/1",
        "vr/2020/2711/doc 1294/1",
        "1294/1",
        "doc.1294",
        "DOC 1294",
    ],
)
def test_search_tokens_find_document(query: str) -> None:
    doc = parse_document_number("VR 2020 2711 DOC.1294/1")
    assert normalise_document_token(query) in doc.search_tokens


def test_search_tokens_content() -> None:
    doc = parse_document_number("VR 2020 2711 DOC.1294/1")
    for token in ["vr20202711doc12941", "doc12941", "12941", "doc1294"]:
        assert token in doc.search_tokens
    versioned = parse_document_number("VR 2021 0204 DOC.0330/1BIS")
    for query in ["DOC.0330/1BIS", "doc.0330/1 bis", "DOC.0330/1", "doc.330/1", "330/1bis"]:
        assert normalise_document_token(query) in versioned.search_tokens
    assert normalise_document_token("DOC.0330/1TER") not in versioned.search_tokens
    assert normalise_document_token("DOC.0330/2") not in versioned.search_tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("VR 2020 2711 DOC.1294/1", "vr20202711doc12941"),
        ("VR20202711 DOC.1294/1", "vr20202711doc12941"),
        ("DOC.1294/1", "doc12941"),
        ("1294/1", "12941"),
        ("doc.1294", "doc1294"),
        ("doc.330/1", "doc03301"),
        ("DOC 0330/1 BIS", "doc03301bis"),
        ("330/1", "03301"),
        ("", ""),
    ],
)
def test_normalise_document_token(text: str, expected: str) -> None:
    assert normalise_document_token(text) == expected


@PROPERTY
@given(st.text())
def test_normalise_document_token_idempotent(text: str) -> None:
    token = normalise_document_token(text)
    assert re.fullmatch(r"[a-z0-9]*", token)
    assert normalise_document_token(token) == token


# ---- property-based document numbers


@st.composite
def document_numbers(draw: st.DrawFn) -> DocumentNumber:
    """A valid document number."""
    meeting = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
    return DocumentNumber(
        year=meeting.year,
        day=meeting.day,
        month=meeting.month,
        case=draw(st.integers(min_value=1, max_value=9999)),
        position=draw(st.integers(min_value=1, max_value=20)),
        version=draw(st.integers(min_value=1, max_value=5)),
    )


def spellings(doc: DocumentNumber) -> list[str]:
    """Several ways documents and users write the same number."""
    ddmm = f"{doc.day:02d}{doc.month:02d}"
    case = f"{doc.case:04d}"
    piece = f"{case}/{doc.position}"
    suffix = doc.suffix
    return [
        doc.canonical,
        f"VR{doc.year}{ddmm} DOC.{piece}{suffix}",
        f"VR {doc.year} {ddmm} DOC {piece}{suffix}",
        doc.canonical.lower(),
        f"VR {doc.year} {ddmm} DOC.{piece} {suffix}".rstrip(),
        f"vr {doc.year} {ddmm} doc {piece} {suffix.lower()}".rstrip(),
        f"  VR  {doc.year}   {ddmm}  DOC.{piece}{suffix}  ",
        f"VR/{doc.year}/{ddmm}/DOC.{piece}{suffix}",
        f"VR-{doc.year}-{ddmm} DOC.{piece}{suffix}",
        f"VR{doc.year}{ddmm}DOC{piece}{suffix}",
    ]


@PROPERTY
@given(document_numbers())
def test_document_number_spellings_parse_to_same(doc: DocumentNumber) -> None:
    canonical_token = normalise_document_token(doc.canonical)
    for text in spellings(doc):
        parsed = parse_document_number(text)
        assert parsed == doc, text
        assert parsed.meeting_date == doc.meeting_date
        assert parsed.canonical == doc.canonical
        assert normalise_document_token(text) == canonical_token, text
    assert canonical_token in doc.search_tokens


@PROPERTY
@given(document_numbers())
def test_search_tokens_are_normalised(doc: DocumentNumber) -> None:
    tokens = doc.search_tokens
    assert tokens and len(tokens) == len(set(tokens))
    for token in tokens:
        assert normalise_document_token(token) == token
    assert normalise_document_token(f"DOC.{doc.case:04d}/{doc.position}") in tokens
    assert normalise_document_token(f"{doc.case:04d}/{doc.position}") in tokens
    assert normalise_document_token(f"doc.{doc.case}") in tokens


@PROPERTY
@given(document_numbers(), st.sampled_from(["zie ", "(zie ", "Nota: ", "", "\n"]))
def test_find_document_numbers_in_running_text(doc: DocumentNumber, prefix: str) -> None:
    text = f"{prefix}{doc.canonical}) werd goedgekeurd op {format_dutch_date(doc.meeting_date)}."
    assert find_document_numbers(text) == [doc]


def quoted(text: str) -> str:
    """How the parsers quote their input in an error message."""
    return f'"{text}"' if len(text) <= 80 else f'"{text[:77]}…"'


def assert_dutch_error(error: ValueError, prefix: str, text: str) -> None:
    """The message names what was read, says why in a sentence, and is one of ours."""
    message = str(error)
    assert message.startswith(f"{prefix} {quoted(text)}: "), message
    reason = message.removeprefix(f"{prefix} {quoted(text)}: ")
    assert reason.endswith(".") and len(reason) > 5, message


@PROPERTY
@given(st.text())
def test_parse_document_number_arbitrary_text(text: str) -> None:
    """Any text is read as numbers that survive their own canonical spelling, or refused in Dutch."""
    try:
        docs = parse_document_numbers(text)
    except DocumentNumberError as error:
        assert_dutch_error(error, "Ongeldig documentnummer", text)
        with pytest.raises(DocumentNumberError):
            parse_document_number(text)
        return
    assert docs and len(docs) == len(set(docs))
    for doc in docs:
        assert parse_document_number(doc.canonical) == doc
        assert f"{doc.year}" in text
    if len(docs) == 1:
        assert parse_document_number(text) == docs[0]
    else:
        with pytest.raises(DocumentNumberError, match="precies één verwacht"):
            parse_document_number(text)


@PROPERTY
@given(st.text(alphabet="VRDOCvrdoc0123456789 ./-,;&enBISTERbister", max_size=40))
def test_parse_document_number_structured_noise(text: str) -> None:
    try:
        docs = parse_document_numbers(text)
    except DocumentNumberError:
        return
    for doc in docs:
        assert parse_document_number(doc.canonical) == doc
        assert f"{doc.year}" in text


@PROPERTY
@given(st.text() | st.lists(st.sampled_from(["VR 2020 2711 DOC.1294/1", " en 2", "BIS", " ", "x", "DOC", "/",
                                              "2021", "1712", "."])).map("".join))
def test_find_document_numbers_arbitrary_text(text: str) -> None:
    """Whatever running text holds, every number found is valid, written in the text, and found alone."""
    found = find_document_numbers(text)
    assert len(found) == len(set(found))
    for doc in found:
        assert f"{doc.year}" in text and f"{doc.day:02d}{doc.month:02d}" in text
        assert find_document_numbers(doc.canonical) == [doc]


# ---- finding in running text


def test_find_document_numbers_examples() -> None:
    text = (
        "De nota (zie VR 2025 2103 DOC.0167/1TER) vervangt VR 2021 1712 DOC 1462/1 en 2. "
        "Eerder: VR20202606 DOC.0643/1, en nogmaals VR 2025 2103 DOC.0167/1TER."
    )
    assert [d.canonical for d in find_document_numbers(text)] == [
        "VR 2025 2103 DOC.0167/1TER",
        "VR 2021 1712 DOC.1462/1",
        "VR 2021 1712 DOC.1462/2",
        "VR 2020 2606 DOC.0643/1",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("VR 2020 2711 DOC.1294/1 ter goedkeuring", ["VR 2020 2711 DOC.1294/1"]),
        ("VR 2020 2711 DOC.1294/1 TER goedkeuring", ["VR 2020 2711 DOC.1294/1TER"]),
        ("VR 2020 2711 DOC.1294/1 bis werd besproken", ["VR 2020 2711 DOC.1294/1BIS"]),
        ("VR 2020 2711 DOC.1294/1 en 2 miljoen euro", ["VR 2020 2711 DOC.1294/1"]),
        ("VR 2020 2711 DOC.1294/1 en 2,5 miljoen", ["VR 2020 2711 DOC.1294/1"]),
        ("VR 2020 2711 DOC.1294/1 en 2 000 euro", ["VR 2020 2711 DOC.1294/1"]),
        (
            "VR 2020 2711 DOC.1294/1 en 2BIS.",
            ["VR 2020 2711 DOC.1294/1", "VR 2020 2711 DOC.1294/2BIS"],
        ),
        ("VR 2020 2711 DOC.1294/1XYZ", []),
        ("NVR 2020 2711 DOC.1294/1", []),
        ("VR 2021 3102 DOC.0001/1 (ongeldig)", []),
        ("geen nummers hier", []),
    ],
)
def test_find_document_numbers_edge_cases(text: str, expected: list[str]) -> None:
    assert [d.canonical for d in find_document_numbers(text)] == expected


def test_find_document_numbers_strict() -> None:
    with pytest.raises(DocumentNumberError, match="31 februari 2021 bestaat niet"):
        find_document_numbers("zie VR 2021 3102 DOC.0001/1", strict=True)


def test_suffix_order() -> None:
    assert SUFFIXES[:3] == ("BIS", "TER", "QUATER")
    for version, suffix in enumerate(SUFFIXES, start=2):
        doc = parse_document_number(f"VR 2020 2711 DOC.1294/1{suffix}")
        assert doc.version == version and doc.suffix == suffix


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27 november 2020", date(2020, 11, 27)),
        ("2 april 2021", date(2021, 4, 2)),
        ("27/11/2020", date(2020, 11, 27)),
        ("2020-11-27", date(2020, 11, 27)),
        ("27-11-2020", date(2020, 11, 27)),
        ("27.11.2020", date(2020, 11, 27)),
        ("2/4/2021", date(2021, 4, 2)),
        ("1 MEI 2021", date(2021, 5, 1)),
        ("27 nov. 2020", date(2020, 11, 27)),
        ("3 mrt 2022", date(2022, 3, 3)),
        ("vrijdag 27 november 2020", date(2020, 11, 27)),
        ("Vrijdag, 27 november 2020", date(2020, 11, 27)),
        (f"  27{NBSP}november  2020 ", date(2020, 11, 27)),
        ("29 februari 2024", date(2024, 2, 29)),
    ],
)
def test_parse_dutch_date_examples(text: str, expected: date) -> None:
    assert parse_dutch_date(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "leeg"),
        ("31 februari 2021", "31 februari 2021 bestaat niet"),
        ("29 februari 2023", "bestaat niet"),
        ("31/04/2021", "31 april 2021 bestaat niet"),
        ("2021-13-01", "maand 13 bestaat niet"),
        ("0/1/2021", "dag 0 bestaat niet"),
        ("27 novembre 2020", 'onbekende maand "novembre"'),
        ("maandag 27 november 2020", "vrijdag, geen maandag"),
        ("fooday 27 november 2020", "onbekende weekdag"),
        ("27-11-20", "onbekende schrijfwijze"),
        ("27/11-2020", "onbekende schrijfwijze"),
        ("gisteren", "onbekende schrijfwijze"),
    ],
)
def test_parse_dutch_date_errors(text: str, fragment: str) -> None:
    with pytest.raises(DateError) as info:
        parse_dutch_date(text)
    message = str(info.value)
    assert message.startswith(f'Ongeldige datum "{text}"')
    assert fragment in message


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (date(2020, 11, 27), "27 november 2020"),
        (date(2021, 4, 2), "2 april 2021"),
        (date(2024, 1, 1), "1 januari 2024"),
        (date(1, 1, 1), "1 januari 0001"),
        (date(999, 12, 31), "31 december 0999"),
    ],
)
def test_format_dutch_date(value: date, text: str) -> None:
    assert format_dutch_date(value) == text


@PROPERTY
@given(st.dates())
def test_dutch_date_round_trip(value: date) -> None:
    assert parse_dutch_date(format_dutch_date(value)) == value
    assert parse_dutch_date(value.isoformat()) == value
    assert parse_dutch_date(f"{value.day:02d}/{value.month:02d}/{value.year:04d}") == value


@PROPERTY
@given(st.text() | st.from_regex(r"[a-z]{0,9},? ?[0-9]{1,2} [a-z.]{3,10} [0-9]{4}|[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}",
                                 fullmatch=True))
def test_parse_dutch_date_arbitrary_text(text: str) -> None:
    """Any text is a date whose year it spells and that survives formatting, or refused in Dutch."""
    try:
        value = parse_dutch_date(text)
    except DateError as error:
        assert_dutch_error(error, "Ongeldige datum", text)
        return
    assert f"{value.year:04d}" in text
    assert parse_dutch_date(format_dutch_date(value)) == value
