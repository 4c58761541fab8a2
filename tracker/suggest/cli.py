"""`tracker suggest DECISION [--limit N] [--json]` and `tracker suggest evaluate FILE`."""
from __future__ import annotations

import json
import re
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import or_, select

from tracker.core.db import db


def find_decision(identifier: str):  # type: ignore[no-untyped-def]
    from tracker.decisions.models import Decision

    decision = db.session.scalar(select(Decision).where(or_(Decision.key == identifier,
                                                            Decision.site_id == identifier)))
    if decision is None:
        raise click.ClickException(f'Beslissing "{identifier}" bestaat niet; geef de sleutel of de site-identificatie.')
    return decision


def as_data(suggestion) -> dict:  # type: ignore[no-untyped-def,type-arg]
    from tracker.suggest.ranker import path_of

    c = suggestion.commitment
    return {"key": c.key, "reference": c.reference, "title": c.title, "path": path_of(c),
            "score": suggestion.score, "why": suggestion.reasons}


@click.command("suggest", help="Welke engagementen dient een beslissing? `tracker suggest SLEUTEL` of "
                               "`tracker suggest evaluate BESTAND`.")
@click.argument("args", nargs=-1, required=True)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="Hoeveel suggesties.")
@click.option("--json", "as_json", is_flag=True, help="Als JSON (een lijst van objecten).")
@with_appcontext
def suggest_command(args: tuple[str, ...], limit: int, as_json: bool) -> None:
    from tracker.suggest.ranker import suggest

    if args[0] == "evaluate":
        if len(args) != 2:
            raise click.UsageError("Gebruik: tracker suggest evaluate BESTAND")
        evaluate(Path(args[1]))
        return
    if len(args) != 1:
        raise click.UsageError("Geef één beslissing: tracker suggest SLEUTEL")
    suggestions = suggest(find_decision(args[0]), limit)
    if as_json:
        click.echo(json.dumps([as_data(s) for s in suggestions], ensure_ascii=False, indent=2))
        return
    if not suggestions:
        click.echo("Geen suggesties: de tekst van de beslissing lijkt op geen enkel engagement.")
    for rank, s in enumerate(suggestions, 1):
        click.echo(f"{rank:>2}. {s.score:8.2f}  {s.commitment.key}  {s.commitment.label}")
        for reason in s.reasons:
            click.echo(f"              {reason}")


def read_labels(path: Path) -> list[dict]:  # type: ignore[type-arg]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path} kan niet gelezen worden als UTF-8-tekst: {exc}") from exc
    labels = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"{path.name}, regel {number}: geen geldige JSON ({exc.msg}).") from exc
        if not isinstance(row, dict) or not row.get("sections") or not (row.get("site_id") or row.get("key")):
            raise click.ClickException(f"{path.name}, regel {number}: verwacht een object met site_id (of key) "
                                       "en een lijst sections.")
        labels.append(row)
    return labels


def _plain_search(decision, idx, source_key: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The baseline: the site's own search for the decision title's words (any of them), commitments only."""
    from tracker.search.service import SearchParams, search

    words = [w for w in re.findall(r"\w+", decision.title) if len(w) > 2][:20]
    params = SearchParams(q=" OF ".join(words), filters={"type": ["commitment"]}, per_page=50)
    keys = []
    from flask import current_app

    from tracker.commitments.models import Commitment

    with current_app.test_request_context():  # hits carry addresses
        result = search(idx, params)
    ids = [hit.id for hit in result.hits]
    found = {c.id: c for c in db.session.scalars(select(Commitment).where(Commitment.id.in_(ids)))}
    for cid in ids:
        c = found.get(cid)
        if c is not None and c.source.key == source_key and c.level.value not in ("deel", "hoofdstuk"):
            keys.append(c.key)
    return keys


def evaluate(path: Path) -> dict[str, float]:
    """Recall@3 and recall@10 of the suggestions on a labelled file (one JSON object per line)."""
    from tracker.search.index import get_index
    from tracker.sources.models import Source
    from tracker.suggest.ranker import suggest

    labels = read_labels(path)
    hits3 = hits10 = base3 = base10 = 0
    missing = []
    idx = get_index()
    baseline = idx.usable()
    for row in labels:
        decision = None
        try:
            decision = find_decision(row.get("site_id") or row["key"])
        except click.ClickException:
            missing.append(row.get("site_id") or row["key"])
            continue
        gold = set(row["sections"])
        source_key = next(iter(gold)).split("/")[0]
        source_id = db.session.scalar(select(Source.id).where(Source.key == source_key))
        keys = [s.commitment.key for s in suggest(decision, 10, source_id)]
        hits3 += bool(gold & set(keys[:3]))
        hits10 += bool(gold & set(keys[:10]))
        if baseline:
            plain = _plain_search(decision, idx, source_key)
            base3 += bool(gold & set(plain[:3]))
            base10 += bool(gold & set(plain[:10]))
    n = len(labels) - len(missing)
    if n == 0:
        raise click.ClickException("Geen enkele gelabelde beslissing staat in de database; importeer eerst de echte data.")
    figures = {"recall@3": hits3 / n, "recall@10": hits10 / n}
    click.echo(f"{n} gelabelde beslissingen" + (f" ({len(missing)} niet in de database)" if missing else ""))
    click.echo(f"recall@3:  {figures['recall@3']:.1%}  (doel 70 %)")
    click.echo(f"recall@10: {figures['recall@10']:.1%}  (doel 90 %)")
    if baseline:
        figures.update({"search@3": base3 / n, "search@10": base10 / n})
        click.echo(f"ter vergelijking, de zoekfunctie met de woorden van de titel: "
                   f"{figures['search@3']:.1%} in de top 3, {figures['search@10']:.1%} in de top 10")
    return figures


UNMATCHED_SHOWN = 30


@click.command("analyses", help="Nakomingsrapporten (externe analyses) importeren als bronnen en suggesties.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Toon alleen wat er zou gebeuren.")
@click.option("--yes", is_flag=True, help="Niet om bevestiging vragen (voor scripts).")
@with_appcontext
def import_analyses_command(path: Path, dry_run: bool, yes: bool) -> None:
    """Hecht elk rapport aan zijn afdeling (machinaal, niet nagekeken) en maak suggesties van zijn verwijzingen."""
    from tracker.core.cli import run_operation
    from tracker.suggest.analyses import apply_import, plan_import, read_reports

    try:
        reports = read_reports(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise click.ClickException(f"{path.name} kan niet gelezen worden: {exc}") from exc
    plan = plan_import(reports)
    for line in plan.summary():
        click.echo(line)
    unmatched = plan.unmatched
    if unmatched:
        click.echo("Niet herkende verwijzingen (geen beslissing met dat adres of die datum en titel):")
        for report, ref in unmatched[:UNMATCHED_SHOWN]:
            click.echo(f"  {report.commitment.key} [{ref.number}] {ref.meeting_date} {ref.title[:80]}")  # type: ignore[union-attr]
        if len(unmatched) > UNMATCHED_SHOWN:
            click.echo(f"  … en nog {len(unmatched) - UNMATCHED_SHOWN}.")
    if dry_run:
        click.echo("Proefdraai: er is niets gewijzigd.")
        return
    if not plan.changes_anything:
        click.echo("Niets gewijzigd: alles stond al in de tracker.")
        return
    if not yes and not click.confirm("Doorvoeren?", default=False):
        click.echo("Afgebroken: er is niets gewijzigd.")
        return
    run_operation(lambda: apply_import(plan, None))
    click.echo("Geïmporteerd. Redacteurs bevestigen of wijzen elke suggestie af op de pagina van het engagement.")


def register(app: Flask) -> None:
    from tracker.importers.cli import import_group

    app.cli.add_command(suggest_command)
    import_group.add_command(import_analyses_command)
