"""What a visitor sees, through the Flask test client."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tracker.commitments.models import Commitment
from tracker.decisions.models import Decision
from tracker.projects.models import Organisation, Programme, Project
from tracker.sources.models import Source


def ids(app):  # type: ignore[no-untyped-def]
    from tracker.core.db import db

    with app.app_context():
        def one(model, **kw):  # type: ignore[no-untyped-def]
            stmt = select(model)
            for k, v in kw.items():
                stmt = stmt.where(getattr(model, k) == v)
            return db.session.scalar(stmt).id
        return {
            "section": one(Commitment, key="ra-2019/bestuurzaken/3.2.3"),
            "vds": one(Source, key="vds"),
            "ra2019": one(Source, key="ra-2019"),
            "ana00": one(Decision, key="ana-00"),
            "vrd3": one(Decision, key="vrd3-2026"),
            "vrd2": one(Programme, key="vrd2"),
            "p214": one(Project, key="vrd2/21.4"),
            "org": one(Organisation, name="Agentschap Digitaal Vlaanderen"),
        }


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_every_page_is_dutch_and_accessible(client, app) -> None:  # type: ignore[no-untyped-def]
    i = ids(app)
    for url in ["/", "/bronnen", f"/bronnen/{i['vds']}", f"/engagementen/{i['section']}", "/beslissingen",
                f"/beslissingen/{i['ana00']}", "/programmas", f"/programmas/{i['vrd2']}",
                f"/projecten/{i['p214']}", f"/organisaties/{i['org']}", "/hoe-we-beoordelen",
                "/wijzigingen"]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = text(response)
        assert '<html lang="nl">' in page and "<main" in page and "<nav" in page, url
        assert page.count("<h1") == 1, url
        for field in re.findall(r'<input[^>]*id="([^"]+)"', page):
            assert f'for="{field}"' in page, (url, field)


@pytest.mark.parametrize("url", ["/bronnen/999999", "/engagementen/999999", "/beslissingen/999999",
                                 "/programmas/999999", "/projecten/999999", "/organisaties/999999",
                                 "/beslissingen?pagina=9999", "/bestaat-niet"])
def test_unknown_ids_are_404_in_dutch(client, url: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 404
    assert "Niet gevonden" in text(response)


def test_commitment_page_shows_text_place_status_evidence_and_links(client, app) -> None:  # type: ignore[no-untyped-def]
    page = text(client.get(f"/engagementen/{ids(app)['section']}"))
    assert "ICT en Informatie" in page and "Regeerakkoord Vlaamse Regering 2019-2024" in page
    assert "Bestuurzaken" in page and "Concrete voorstellen" in page  # place in the tree
    assert "Vlaanderen Radicaal Digitaal" in page  # full text
    assert "Gedeeltelijk gerealiseerd" in page and "◕" in page  # label and symbol, not colour alone
    assert "overwegend" in page and "Seed-beoordelaar" in page  # motivation and reviewer
    assert "35 beslissingen" in page
    assert "Programma Vlaanderen Radicaal Digitaal 2: uitvoeringsjaar 2022" in page
    assert "We stellen data maximaal en via API" in page  # the child commitment


def test_commitment_as_of_a_date_before_its_assessment(client, app) -> None:  # type: ignore[no-untyped-def]
    url = f"/engagementen/{ids(app)['section']}"
    before = text(client.get(url + "?op=2021-06-30"))
    assert "30 juni 2021" in before and "Niet beoordeeld" in before
    assert "Status op 30 juni 2021" in before
    assert f"{url}?op=2021-06-30" in before  # permalink
    assert "uitvoeringsjaar 2023" not in before  # decided on 18 November 2022: not yet there
    assert "35 beslissingen" not in before
    after = text(client.get(url + "?op=2023-01-01"))
    assert "Gedeeltelijk gerealiseerd" in after


def test_bad_as_of_date_gets_a_dutch_400(client, app) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/bronnen/{ids(app)['ra2019']}?op=30-06-2024")
    assert response.status_code == 400
    assert "JJJJ-MM-DD" in text(response)


def test_decision_page(client, app) -> None:  # type: ignore[no-untyped-def]
    page = text(client.get(f"/beslissingen/{ids(app)['ana00']}"))
    assert "27 november 2020" in page
    assert "VR 2020 2711 DOC.1294/1" in page
    assert "beslissingenvlaamseregering.vlaanderen.be" in page
    assert "ICT en Informatie" in page  # linked commitment
    assert "21.4" in page and "€ 1.362.000" in page  # projects and amounts it granted


def test_decision_with_unknown_date_says_so(client, app) -> None:  # type: ignore[no-untyped-def]
    page = text(client.get(f"/beslissingen/{ids(app)['vrd3']}"))
    assert "datum onbekend" in page


def test_programme_page_shows_totals_and_the_forecast_difference(client, app) -> None:  # type: ignore[no-untyped-def]
    page = text(client.get(f"/programmas/{ids(app)['vrd2']}"))
    assert "€ 5.000.000" in page
    assert "€ 4.999.998" in page and "verschil € 2" in page
    assert "✓ klopt" in page


def test_project_page(client, app) -> None:  # type: ignore[no-untyped-def]
    page = text(client.get(f"/projecten/{ids(app)['p214']}"))
    assert "21.4" in page and "LBLOD" in page and "€ 500.000" in page and "Vlaanderen Radicaal Digitaal 2" in page


def test_source_page_shows_tree_with_roll_ups(client, app) -> None:  # type: ignore[no-untyped-def]
    page = text(client.get(f"/bronnen/{ids(app)['vds']}"))
    assert "2.9.1" in page and "Niet beoordeeld" in page
    assert page.count('class="node"') == 68


def test_method_page_lists_the_scale(client) -> None:  # type: ignore[no-untyped-def]
    page = text(client.get("/hoe-we-beoordelen"))
    for label in ["Niet beoordeeld", "Niet gestart", "In voorbereiding", "In uitvoering", "Vastgelopen",
                  "Gedeeltelijk gerealiseerd", "Gerealiseerd", "Niet gerealiseerd", "Niet toetsbaar"]:
        assert label in page
    assert "Buiten Vlaamse bevoegdheid" in page


def test_changes_between_two_dates(client) -> None:  # type: ignore[no-untyped-def]
    page = text(client.get("/wijzigingen?van=2022-01-01&tot=2023-01-01"))
    assert "1 engagement veranderden" in page or "1 engagement " in page
    assert "ICT en Informatie" in page and "overwegend" in page
    empty = text(client.get("/wijzigingen?van=2023-01-01&tot=2024-01-01"))
    assert "0 engagementen" in empty
    assert client.get("/wijzigingen?van=2024-01-01&tot=2023-01-01").status_code == 400


def test_decision_list_paginates(client, app) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import func

    from tracker.core.db import db

    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(Decision))
    pages = -(-total // app.config["PER_PAGE"])
    assert pages >= 2
    page = text(client.get("/beslissingen"))
    assert f"{total} beslissingen" in page and f"Pagina 1 van {pages}" in page
    assert page.count('href="/beslissingen/') == app.config["PER_PAGE"]
    assert f"Pagina {pages} van {pages}" in text(client.get(f"/beslissingen?pagina={pages}"))
    assert client.get("/beslissingen?pagina=abc").status_code == 404


def test_source_page_paginates_its_decisions(client, app) -> None:  # type: ignore[no-untyped-def]
    from tracker.core.db import db

    with app.app_context():
        analysis = db.session.scalar(select(Source.id).where(Source.key == "analyse-ra-2019-3.2.3"))
    first = text(client.get(f"/bronnen/{analysis}"))
    assert "35 beslissingen; 1 tot 35 getoond" not in first  # one page of 50: no range needed
    assert "35 beslissingen." in first and first.count('href="/beslissingen/') == 35


@pytest.mark.parametrize("url,code", [
    ("/beslissingen?jaar=%C2%B2", 400), ("/beslissingen?jaar=99999999999999999999", 400),
    ("/beslissingen?jaar=2021", 200), ("/beslissingen?pagina=%C2%B2", 404),
    ("/engagementen/9223372036854775808", 404), ("/beslissingen/2147483648", 404), ("/projecten/0", 404),
])
def test_odd_arguments_never_give_a_500(client, url: str, code: int) -> None:  # type: ignore[no-untyped-def]
    assert client.get(url).status_code == code


def test_decision_page_shows_the_totals_it_states(client, app) -> None:  # type: ignore[no-untyped-def]
    page = text(client.get(f"/beslissingen/{ids(app)['vrd3']}"))
    assert "Totaal beheer- en exploitatiemiddelen" in page and "€ 15.000.000" in page
    assert "€ 39.500.000" in page
    # Speerpunt 3 names only what its amount includes: shown as partial, not as a contradiction.
    assert "waarvan € 3.910.000 uitgesplitst" in page and "verschil € 4.225.000" not in page


def test_programme_lists_sub_projects_under_their_speerpunt(client, app) -> None:  # type: ignore[no-untyped-def]
    from tracker.core.db import db

    with app.app_context():
        vrd3 = db.session.scalar(select(Programme.id).where(Programme.key == "vrd3"))
    page = text(client.get(f"/programmas/{vrd3}"))
    page = page[page.index('id="projecten"'):]
    data, lambert, ai = (page.index(t) for t in (">Datagedreven overheid<", "Lambert 2008", "Artificiële intelligentie en digitale tweelingen<"))
    assert data < lambert < ai
    assert "onderdeel van Datagedreven overheid" in page
