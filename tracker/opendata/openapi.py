"""The OpenAPI 3.1 document of /api/v1/: every endpoint, parameter and answer.

Built from the same enums and limits the views use, so a new status or kind appears here by itself.
Record schemas allow no other properties: a field added to tracker.opendata.records without being
described here makes the validation test (tests/opendata) fail.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from tracker.claims.models import Measure
from tracker.commitments.models import Level, Relation
from tracker.decisions.models import DecisionKind
from tracker.opendata.params import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, MAX_TEXT
from tracker.projects.models import BudgetKind, ProjectLevel
from tracker.search.schema import FACETS
from tracker.search.service import MAX_PAGE as SEARCH_MAX_PAGE
from tracker.search.service import MAX_PER_PAGE as SEARCH_MAX_PER_PAGE
from tracker.sources.models import SourceKind
from tracker.workflow.status import NotRealisedReason, Status

STRING = {"type": "string"}
TEXT_OR_NULL = {"type": ["string", "null"]}
INTEGER = {"type": "integer"}
INTEGER_OR_NULL = {"type": ["integer", "null"]}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
DATETIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
URL_OR_NULL = {"type": ["string", "null"], "format": "uri"}
KEYS = {"type": "array", "items": STRING}


def enum(values: Any, nullable: bool = False) -> dict[str, Any]:
    names = [m.value for m in values]
    return {"type": ["string", "null"], "enum": [*names, None]} if nullable else {"type": "string", "enum": names}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(description: str = "", /, **properties: Any) -> dict[str, Any]:
    """An object with exactly these properties, each required (a missing value is null, never absent)."""
    schema = {"type": "object", "additionalProperties": False, "required": list(properties),
              "properties": properties}
    if description:
        schema["description"] = description
    return schema


def array(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


def extend(base: dict[str, Any], description: str = "", /, **more: Any) -> dict[str, Any]:
    return obj(description, **base["properties"], **more)


BOOLEAN: dict[str, Any] = {"type": "boolean"}
SOURCE = obj("Een brondocument.", key=STRING, kind=enum(SourceKind), title=STRING, government=STRING,
             date=DATE_OR_NULL, url=STRING, read_from=STRING, summary=STRING, title_by_editors=BOOLEAN,
             version=INTEGER, page=URL_OR_NULL)
COMMITMENT = obj(
    "Een engagement (een knoop in de boom van een bron). Op een datum (op=) is status die van toen en "
    "status_since null.",
    key=STRING, source=STRING, parent=TEXT_OR_NULL, level=enum(Level), reference=STRING, position=INTEGER,
    title=STRING, title_by_editors=BOOLEAN, policy_domain=STRING, responsible=STRING, cite=STRING,
    status=enum(Status),
    status_since=DATE_OR_NULL, version=INTEGER, page=URL_OR_NULL)
DECISION = obj(
    "Een beslissing van de Vlaamse Regering.",
    key=STRING, site_id=TEXT_OR_NULL, meeting_date=DATE_OR_NULL, title=STRING, title_by_editors=BOOLEAN,
    kind=enum(DecisionKind),
    policy_domain=STRING, summary=STRING, url=STRING, cite=STRING,
    document_numbers=array(ref("DocumentNumber")), sources=KEYS, version=INTEGER, page=URL_OR_NULL)
PROJECT = obj(
    "Een project van een programma.",
    key=STRING, programme=STRING, parent=TEXT_OR_NULL, organisation=TEXT_OR_NULL, decision=TEXT_OR_NULL,
    level=enum(ProjectLevel), code=STRING, position=INTEGER, title=STRING, title_by_editors=BOOLEAN,
    description=STRING,
    execution_year=INTEGER_OR_NULL, cite=STRING, version=INTEGER, page=URL_OR_NULL)
PROGRAMME = obj("Een financieringsprogramma.", key=STRING, name=STRING, short_name=STRING, description=STRING,
                version=INTEGER, page=URL_OR_NULL)
LINK = obj(
    "Een huidige koppeling tussen twee van: engagement, beslissing, project (het derde is null).",
    id=INTEGER, commitment=TEXT_OR_NULL, decision=TEXT_OR_NULL, project=TEXT_OR_NULL, relation=enum(Relation),
    rationale=STRING, quote=STRING, cite=STRING, created_dt=DATETIME_OR_NULL)
ROLLUP = obj(
    "Samenvatting van een deelboom: aantallen per status, voortgang (0-100, null zonder toetsbare "
    "engagementen) en euro van de gekoppelde projecten (elk project één keer).",
    total=INTEGER, assessed=INTEGER, progress={"type": ["number", "null"]}, euro=INTEGER,
    counts={"type": "object", "propertyNames": enum(Status), "additionalProperties": INTEGER})

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error", "status"], "properties": {
        "error": {"type": "string", "description": "Uitleg in het Nederlands."}, "status": INTEGER,
        "changes": KEYS}},
    "PageLinks": obj(self=STRING, first=STRING, last=STRING, next=TEXT_OR_NULL, prev=TEXT_OR_NULL),
    "Source": SOURCE,
    "SourceDetail": extend(SOURCE, "Een bron met haar volledige boom en samenvatting.", text=STRING,
                           as_of=DATE_OR_NULL, rollup=ref("Rollup"), tree=array(ref("Node"))),
    "Node": obj("Een knoop van de boom.", key=STRING, reference=STRING, level=enum(Level), title=STRING,
                status=enum(Status), rollup=ref("Rollup"), children=array(ref("Node"))),
    "Rollup": ROLLUP,
    "Commitment": COMMITMENT,
    "CommitmentDetail": extend(
        COMMITMENT, "Een engagement met samenvatting, statusgeschiedenis en huidige koppelingen.",
        text=STRING, as_of=DATE_OR_NULL, existed={"type": "boolean"}, rollup=ref("Rollup"), children=KEYS,
        history=array(ref("StatusChange")), links=array(ref("Link"))),
    "DocumentNumber": obj(canonical=STRING, printed=STRING),
    "Decision": DECISION,
    "DecisionDetail": extend(DECISION, "Een beslissing met haar tekst en huidige koppelingen.", text=STRING,
                             links=array(ref("Link"))),
    "Programme": PROGRAMME,
    "ProgrammeDetail": extend(PROGRAMME, "Een programma met de sleutels van zijn projecten.", projects=KEYS),
    "Project": PROJECT,
    "ProjectDetail": extend(PROJECT, "Een project met zijn bedragen, deelprojecten en huidige koppelingen.",
                            euro=INTEGER, children=KEYS, budget_lines=array(ref("BudgetLine")),
                            links=array(ref("Link"))),
    "Organisation": obj("Een entiteit van de Vlaamse overheid.", id=INTEGER, name=STRING, abbreviation=STRING,
                        version=INTEGER, page=URL_OR_NULL),
    "BudgetLine": obj(
        "Een bedrag in euro voor een project, organisatie of programma in een jaar.",
        id=INTEGER, key=TEXT_OR_NULL, project=TEXT_OR_NULL, organisation=TEXT_OR_NULL, programme=TEXT_OR_NULL,
        year=INTEGER, month={"type": ["integer", "null"], "minimum": 1, "maximum": 12}, kind=enum(BudgetKind),
        amount=INTEGER, printed=STRING, label=STRING, decision=TEXT_OR_NULL, total=TEXT_OR_NULL, cite=STRING,
        version=INTEGER),
    "StatedTotal": obj(
        "Een totaal zoals een document het vermeldt, naast de som van zijn delen.",
        key=STRING, label=STRING, amount=INTEGER, printed=STRING, partial={"type": "boolean"},
        year=INTEGER_OR_NULL, kind=enum(BudgetKind), programme=TEXT_OR_NULL, decision=TEXT_OR_NULL,
        cite=STRING, version=INTEGER, sum_of_parts=INTEGER, difference=INTEGER),
    "StatedClaim": obj(
        "Wat een document over een aantal of een bedrag zegt, waar, en wat de tracker ertegen telt.",
        key=STRING, source=STRING, quote=STRING, cite=STRING, claimed=INTEGER, measure=enum(Measure),
        counted_what=STRING, counted_source=TEXT_OR_NULL, level=enum(Level, nullable=True),
        programme=TEXT_OR_NULL, year=INTEGER_OR_NULL, project_level=enum(ProjectLevel, nullable=True),
        total=TEXT_OR_NULL, decision=TEXT_OR_NULL, version=INTEGER, counted=INTEGER, difference=INTEGER),
    "Link": LINK,
    "Evidence": obj("Bewijs: een beslissing, project of bron met de passage die de status staaft.",
                    type={"type": "string", "enum": ["decision", "project", "source"]}, key=STRING,
                    passage=STRING),
    "StatusChange": obj(
        "Eén goedgekeurde statuswijziging (voorstellen zelf zijn niet publiek).",
        id=INTEGER, commitment=STRING, from_status=enum(Status), to_status=enum(Status),
        effective_date={"type": "string", "format": "date"}, motivation=STRING,
        reason=enum(NotRealisedReason, nullable=True), corrects=INTEGER_OR_NULL, author=STRING, reviewer=STRING,
        recorded_dt={"type": "string", "format": "date-time"}, evidence=array(ref("Evidence"))),
    "Change": obj("Een engagement met een andere status op de einddatum dan voor de begindatum.",
                  commitment=ref("Commitment"), old_status=enum(Status), new_status=enum(Status),
                  changes=array(ref("StatusChange"))),
    "Changes": obj(**{"from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
                      "items": array(ref("Change"))}),
    "Index": obj(name=STRING, version=STRING, openapi=STRING, documentation=STRING, search=STRING,
                 lists={"type": "object", "additionalProperties": STRING}),
    "SearchHit": obj(type=STRING, id=INTEGER, title=STRING, url=STRING, snippet=STRING,
                     score={"type": ["number", "null"]}, date=DATE_OR_NULL, status=enum(Status, nullable=True),
                     detail=STRING),
    "SearchResult": obj(
        query=STRING, total=INTEGER, page=INTEGER, per_page=INTEGER, pages=INTEGER,
        sort={"type": "string", "enum": ["relevance", "date"]}, results=array(ref("SearchHit")),
        facets={"type": "object", "additionalProperties": array(obj(
            value=STRING, label=STRING, count=INTEGER, selected={"type": "boolean"}))},
        suggestion=TEXT_OR_NULL, notice=TEXT_OR_NULL),
}


def list_schema(item: str) -> dict[str, Any]:
    return obj(f"Eén pagina {item}-records.", items=array(ref(item)), total=INTEGER, page=INTEGER,
               per_page=INTEGER, pages=INTEGER, links=ref("PageLinks"))


EMPTY = {"type": "string", "maxLength": 0}


def query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """An optional query parameter; empty means the same as absent (no filter, the default)."""
    schema = schema or STRING
    if "enum" in schema:
        schema = {**schema, "enum": [*schema["enum"], ""]}
    elif schema.get("type") != "string" or "format" in schema or "pattern" in schema:
        schema = {"anyOf": [schema, EMPTY]}
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


PRINTABLE = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"  # no control characters (params.text refuses them)


def text_filter(name: str, description: str) -> dict[str, Any]:
    return query(name, description, {"type": "string", "maxLength": MAX_TEXT, "pattern": PRINTABLE})


# Whole numbers in the address, as the views read them: ASCII digits, no sign, no leading zero, no
# decimals (a JSON Schema integer would also allow 2.0). tests/opendata checks each pattern against its range.
WHOLE_PATTERNS = {
    (1, MAX_PAGE): "^(100000|[1-9][0-9]{0,4})$",
    (1, MAX_PER_PAGE): "^(200|1[0-9]{2}|[1-9][0-9]?)$",
    (1000, 9999): "^[1-9][0-9]{3}$",
    (1, SEARCH_MAX_PAGE): "^(100|[1-9][0-9]?)$",
    (1, SEARCH_MAX_PER_PAGE): "^(50|[1-4][0-9]|[1-9])$",
}


def whole(low: int, high: int) -> dict[str, Any]:
    return {"type": "string", "pattern": WHOLE_PATTERNS[(low, high)],
            "description": f"Een geheel getal van {low} tot {high}."}


YEAR = whole(1000, 9999)
DATE = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
PARAMETERS = {
    "op": query("op", "Toon de gegevens zoals ze op die datum stonden (JJJJ-MM-DD).", DATE),
    "page": query("page", "Paginanummer (vanaf 1); een pagina voorbij de laatste is 404.",
                  whole(1, MAX_PAGE)),
    "per_page": query("per_page", f"Records per pagina (standaard {DEFAULT_PER_PAGE}).",
                      whole(1, MAX_PER_PAGE)),
    "from": query("from", "Begindatum (JJJJ-MM-DD), inbegrepen.", DATE),
    "to": query("to", "Einddatum (JJJJ-MM-DD), inbegrepen.", DATE),
}


def param(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


ERRORS = {"400": error("Ongeldige parameter (Nederlandse uitleg)."), "404": error("Niet gevonden."),
          "414": error("Adres te lang.")}


def operation(op_id: str, summary: str, schema: dict[str, Any], parameters: list[Any],
              tag: str, **responses: Any) -> dict[str, Any]:
    return {"get": {
        "operationId": op_id, "summary": summary, "tags": [tag], "parameters": parameters,
        "responses": {"200": {"description": "OK", "headers": {"ETag": {"schema": STRING}},
                              "content": {"application/json": {"schema": schema}}},
                      "304": {"description": "Ongewijzigd sinds de ETag in If-None-Match."},
                      **ERRORS, **responses}}}


def collection(path: str, item: str, summary: str, filters: list[Any], tag: str,
               detail: str | None = None, detail_summary: str = "") -> dict[str, Any]:
    paths = {f"/api/v1/{path}": operation(
        f"list_{path.replace('-', '_')}", summary, list_schema(item),
        [*filters, param("page"), param("per_page")], tag)}
    if detail:
        key = {"name": "key", "in": "path", "required": True, "description": "De sleutel van het record.",
               "schema": {"type": "string", "minLength": 1, "maxLength": 300}}
        paths[f"/api/v1/{path}/{{key}}"] = operation(
            f"get_{item.lower()}", detail_summary, ref(detail),
            [key, *([param("op")] if detail in ("SourceDetail", "CommitmentDetail") else [])], tag)
    return paths


def _paths() -> dict[str, Any]:
    kind = lambda enum_cls, what: query("kind", f"Alleen {what} van deze soort.", enum(enum_cls))  # noqa: E731
    paths: dict[str, Any] = {
        "/api/v1/": operation("index", "Wat de API aanbiedt.", ref("Index"), [], "algemeen"),
        "/api/v1/openapi.json": {"get": {"operationId": "openapi", "summary": "Dit document.", "tags": ["algemeen"],
                                         "responses": {"200": {"description": "Het OpenAPI-document.",
                                                               "content": {"application/json": {"schema": {
                                                                   "type": "object"}}}}}}},
        **collection("sources", "Source", "Brondocumenten.", [param("op"), kind(SourceKind, "bronnen")],
                     "bronnen", "SourceDetail", "Eén bron met haar boom."),
        **collection("commitments", "Commitment", "Engagementen met hun status.", [
            param("op"), text_filter("source", "Sleutel van de bron."),
            query("status", "Alleen engagementen met deze status (op datum: de status van toen).", enum(Status)),
            query("level", "Alleen dit niveau.", enum(Level)),
            text_filter("domain", "Beleidsdomein (exact).")], "engagementen",
            "CommitmentDetail", "Eén engagement met status, geschiedenis, koppelingen en samenvatting."),
        **collection("decisions", "Decision", "Beslissingen, nieuwste eerst.", [
            param("op"), query("year", "Jaar van de vergadering.", YEAR), kind(DecisionKind, "beslissingen"),
            text_filter("source", "Sleutel van een bron die de beslissing vermeldt.")], "beslissingen",
            "DecisionDetail", "Eén beslissing."),
        **collection("programmes", "Programme", "Programma's.", [], "programma's",
                     "ProgrammeDetail", "Eén programma."),
        **collection("projects", "Project", "Projecten.", [
            param("op"), text_filter("programme", "Sleutel van het programma."),
            text_filter("organisation", "Naam van de organisatie."), query("year", "Uitvoeringsjaar.", YEAR)],
            "programma's", "ProjectDetail", "Eén project."),
        **collection("organisations", "Organisation", "Organisaties.", [], "programma's"),
        **collection("budget-lines", "BudgetLine", "Budgetlijnen.", [
            param("op"), text_filter("project", "Sleutel van het project."),
            text_filter("programme", "Sleutel van het programma (ook de lijnen van zijn projecten)."),
            text_filter("organisation", "Naam van de organisatie."), query("year", "Begrotingsjaar.", YEAR),
            kind(BudgetKind, "bedragen")], "programma's"),
        **collection("stated-totals", "StatedTotal", "Vermelde totalen naast de som van hun delen.", [
            text_filter("programme", "Sleutel van het programma."), query("year", "Jaar.", YEAR),
            kind(BudgetKind, "totalen")], "programma's"),
        **collection("stated-claims", "StatedClaim", "Beweringen van de documenten, nagekeken.", [
            text_filter("source", "Sleutel van het document dat de bewering doet.")], "programma's"),
        **collection("status-changes", "StatusChange", "De publieke statusgeschiedenis, nieuwste eerst.", [
            text_filter("commitment", "Sleutel van het engagement."), text_filter("source", "Sleutel van de bron."),
            param("from"), param("to")], "statussen"),
        "/api/v1/changes": operation(
            "changes", "Engagementen waarvan de status veranderde tussen twee datums.", ref("Changes"),
            [query("from", "Begindatum (JJJJ-MM-DD), inbegrepen; standaard 30 dagen voor de einddatum.", DATE),
             query("to", "Einddatum (JJJJ-MM-DD), inbegrepen; standaard vandaag.", DATE)], "statussen"),
        "/api/v1/search": operation(
            "search", "Zoeken in alles (zelfde zoektaal als de zoekpagina).", ref("SearchResult"), [
                query("q", "De zoekopdracht.", {"type": "string", "maxLength": 500}),
                *[query(facet, f"Facet {facet}; meerdere waarden met komma's.") for facet in FACETS],
                param("from"), param("to"),
                query("sort", "Sortering.", {"type": "string", "enum": ["relevance", "date"]}),
                query("page", "Paginanummer.", whole(1, SEARCH_MAX_PAGE)),
                query("per_page", "Resultaten per pagina.",
                      whole(1, SEARCH_MAX_PER_PAGE))],
            "zoeken", **{"503": error("De zoekindex is (nog) niet bruikbaar.")}),
    }
    return paths


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    """The OpenAPI document (servers are left out: paths are relative to the host that serves it)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Regeerakkoord-tracker API", "version": "1",
            "description": "Alleen-lezen API over de engagementen van de Vlaamse Regering, hun status, "
                           "beslissingen, programma's, projecten en bedragen. Records heten naar hun sleutel; "
                           "fouten zijn JSON met een Nederlandse uitleg. Zie /api voor uitleg en voorbeelden.",
            "license": {"name": "Open data"},
        },
        "paths": _paths(),
        "components": {"schemas": SCHEMAS, "parameters": PARAMETERS},
    }
