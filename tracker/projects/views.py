"""Programmes, projects and organisations, with their budgets and stated totals."""
from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.accounts.auth import public, requires
from tracker.accounts.models import Role
from tracker.commitments.queries import links_of
from tracker.core.db import db
from tracker.core.pagination import page_arg, paginate
from tracker.decisions.editing import Deletion, Page, confirm_delete, save_form
from tracker.parsing import format_euro
from tracker.projects.forms import (
    BudgetLineForm,
    OrganisationForm,
    ProgrammeForm,
    ProjectForm,
    StatedTotalForm,
)
from tracker.projects.models import (
    BudgetLine,
    Organisation,
    Programme,
    Project,
    StatedTotal,
)
from tracker.projects.operations import (
    LABELS,
    create_budget_line,
    create_organisation,
    create_programme,
    create_project,
    create_stated_total,
    delete_budget_line,
    delete_organisation,
    delete_programme,
    delete_project,
    delete_stated_total,
    free_key,
    references,
    slug,
    update_budget_line,
    update_organisation,
    update_programme,
    update_project,
    update_stated_total,
)
from tracker.projects.queries import (
    depth_first,
    programme_budget,
    programme_totals,
    project_euros,
    totals_for_programme,
)


@public
def programme_list():  # type: ignore[no-untyped-def]
    """All funding programmes."""
    programmes = list(db.session.scalars(
        select(Programme).options(selectinload(Programme.projects)).order_by(Programme.name)))
    return render_template("projects/programmes.html", programmes=programmes,
                           budgets=programme_totals())


@public
def programme_display(programme_id: int):  # type: ignore[no-untyped-def]
    """A programme: its projects by year, totals per year and kind, and stated totals beside the sums."""
    programme = db.get_or_404(Programme, programme_id)
    projects = depth_first(list(db.session.scalars(
        select(Project).where(Project.programme_id == programme.id)
        .options(selectinload(Project.organisation))
        .order_by(Project.execution_year, Project.position, Project.id))))
    euros = project_euros([p.id for p in projects])
    totals = totals_for_programme(programme.id)
    programme_lines = list(db.session.scalars(
        select(BudgetLine).where(BudgetLine.programme_id == programme.id)
        .order_by(BudgetLine.year, BudgetLine.month)))
    return render_template("projects/programme.html", programme=programme, projects=projects,
                           euros=euros, budget=programme_budget(programme.id), totals=totals,
                           programme_lines=programme_lines)


@public
def project_display(project_id: int):  # type: ignore[no-untyped-def]
    """A project: description, organisation, budget lines, sub-projects, links."""
    project = db.get_or_404(Project, project_id)
    links = links_of(project_id=project.id)
    euros = project_euros([project.id] + [c.id for c in project.children])
    return render_template("projects/display.html", project=project, links=links, euros=euros)


@public
def organisation_display(organisation_id: int):  # type: ignore[no-untyped-def]
    """An organisation: the projects it is responsible for and the budget lines it receives."""
    organisation = db.get_or_404(Organisation, organisation_id)
    projects = list(db.session.scalars(select(Project).where(Project.organisation_id == organisation.id)))
    lines = list(db.session.scalars(
        select(BudgetLine).where(BudgetLine.organisation_id == organisation.id)
        .options(selectinload(BudgetLine.total)).order_by(BudgetLine.year, BudgetLine.id)))
    return render_template("projects/organisation.html", organisation=organisation,
                           projects=projects, lines=lines)



# --------------------------------------------------------------------------- editing (editors only)


def _programme_crumbs(programme: Programme) -> list[tuple[str, str]]:
    return [("Programma's", url_for("projects.programmes")),
            (programme.name, url_for("projects.programme", programme_id=programme.id))]


def _deleted(message: str, target: str):  # type: ignore[no-untyped-def]
    def done():  # type: ignore[no-untyped-def]
        flash(f"{message} Het auditspoor bewaart het record zoals het was.", "info")
        return redirect(target)

    return done


@requires(Role.EDITOR)
def programme_new():  # type: ignore[no-untyped-def]
    form = ProgrammeForm()
    page = Page("Nieuw programma", url_for("projects.programme_new"), url_for("projects.programmes"),
                crumbs=[("Programma's", url_for("projects.programmes"))])

    def save(data: dict[str, Any]) -> Programme:
        key = data.pop("key", None) or free_key(Programme, slug(data["short_name"] or data["name"]) or "programma")
        return create_programme({**data, "key": key}, current_user)

    return save_form(form, page, save, lambda p: url_for("projects.programme", programme_id=p.id))


@requires(Role.EDITOR)
def programme_edit(programme_id: int):  # type: ignore[no-untyped-def]
    programme = db.get_or_404(Programme, programme_id)
    form = ProgrammeForm() if request.method == "POST" else ProgrammeForm.of(programme)
    back = url_for("projects.programme", programme_id=programme.id)
    page = Page(f"Programma bewerken: {programme.name}", url_for("projects.programme_edit", programme_id=programme.id),
                back, crumbs=_programme_crumbs(programme))
    return save_form(form, page, lambda data: update_programme(programme, data, current_user, form.seen_version()),
                     lambda _: back, programme, LABELS)


@requires(Role.EDITOR)
def programme_delete(programme_id: int):  # type: ignore[no-untyped-def]
    programme = db.get_or_404(Programme, programme_id)
    deletion = Deletion("Programma verwijderen", f"het programma “{programme.name}”",
                        url_for("projects.programme_delete", programme_id=programme.id),
                        url_for("projects.programme", programme_id=programme.id), blockers=references(programme))
    return confirm_delete(deletion, FlaskForm(), lambda: delete_programme(programme, current_user),
                          _deleted("Het programma is verwijderd.", url_for("projects.programmes")))


@public
def organisation_list():  # type: ignore[no-untyped-def]
    """All organisations, by name, paginated."""
    page = paginate(select(Organisation).order_by(Organisation.name), page_arg(), current_app.config["PER_PAGE"])
    return render_template("projects/organisations.html", page=page)


@requires(Role.EDITOR)
def organisation_new():  # type: ignore[no-untyped-def]
    page = Page("Nieuwe entiteit", url_for("projects.organisation_new"), url_for("projects.organisations"),
                crumbs=[("Entiteiten", url_for("projects.organisations"))])
    return save_form(OrganisationForm(), page, lambda data: create_organisation(data, current_user),
                     lambda o: url_for("projects.organisation", organisation_id=o.id))


@requires(Role.EDITOR)
def organisation_edit(organisation_id: int):  # type: ignore[no-untyped-def]
    organisation = db.get_or_404(Organisation, organisation_id)
    form = OrganisationForm() if request.method == "POST" else OrganisationForm.of(organisation)
    back = url_for("projects.organisation", organisation_id=organisation.id)
    page = Page(f"Entiteit bewerken: {organisation.name}",
                url_for("projects.organisation_edit", organisation_id=organisation.id), back,
                crumbs=[("Entiteiten", url_for("projects.organisations")), (organisation.name, back)])
    return save_form(form, page,
                     lambda data: update_organisation(organisation, data, current_user, form.seen_version()),
                     lambda _: back, organisation, LABELS)


@requires(Role.EDITOR)
def organisation_delete(organisation_id: int):  # type: ignore[no-untyped-def]
    organisation = db.get_or_404(Organisation, organisation_id)
    deletion = Deletion("Entiteit verwijderen", f"de entiteit “{organisation.name}”",
                        url_for("projects.organisation_delete", organisation_id=organisation.id),
                        url_for("projects.organisation", organisation_id=organisation.id),
                        blockers=references(organisation))
    return confirm_delete(deletion, FlaskForm(), lambda: delete_organisation(organisation, current_user),
                          _deleted("De entiteit is verwijderd.", url_for("projects.organisations")))


@requires(Role.EDITOR)
def project_new(programme_id: int):  # type: ignore[no-untyped-def]
    """A new project at the top of a programme."""
    return _new_project(db.get_or_404(Programme, programme_id), None)


@requires(Role.EDITOR)
def subproject_new(project_id: int):  # type: ignore[no-untyped-def]
    """A new sub-project under a project (its place in the programme can still be changed in the form)."""
    parent = db.get_or_404(Project, project_id)
    return _new_project(parent.programme, parent)


def _new_project(programme: Programme, parent: Project | None):  # type: ignore[no-untyped-def]
    form = ProjectForm().offer(programme)
    if request.method == "GET" and parent is not None:
        form.parent.data = str(parent.id)
        form.level.data = "deelproject"
    back = url_for("projects.display", project_id=parent.id) if parent else url_for(
        "projects.programme", programme_id=programme.id)
    title = f"Nieuw deelproject van {parent.label}" if parent else f"Nieuw project in {programme.name}"
    page = Page(title, request.path, back, crumbs=_programme_crumbs(programme))

    def save(data: dict[str, Any]) -> Project:
        base = f"{programme.key}/{slug(data['code'] or data['title'])}"
        key = data.pop("key", None) or free_key(Project, base)
        return create_project({**data, "key": key, "programme": programme}, current_user)

    return save_form(form, page, save, lambda p: url_for("projects.display", project_id=p.id))


@requires(Role.EDITOR)
def project_edit(project_id: int):  # type: ignore[no-untyped-def]
    project = db.get_or_404(Project, project_id)
    form = ProjectForm().offer(project.programme, project) if request.method == "POST" else ProjectForm.of(project)
    back = url_for("projects.display", project_id=project.id)
    page = Page(f"Project bewerken: {project.label}", url_for("projects.project_edit", project_id=project.id), back,
                crumbs=[*_programme_crumbs(project.programme), (project.label, back)])
    return save_form(form, page, lambda data: update_project(project, data, current_user, form.seen_version()),
                     lambda _: back, project, LABELS)


@requires(Role.EDITOR)
def project_delete(project_id: int):  # type: ignore[no-untyped-def]
    project = db.get_or_404(Project, project_id)
    programme_url = url_for("projects.programme", programme_id=project.programme_id)
    deletion = Deletion("Project verwijderen", f"het project “{project.label}”",
                        url_for("projects.project_delete", project_id=project.id),
                        url_for("projects.display", project_id=project.id), blockers=references(project))
    return confirm_delete(deletion, FlaskForm(), lambda: delete_project(project, current_user),
                          _deleted("Het project is verwijderd.", programme_url))


# --------------------------------------------------------------------------- budget lines and stated totals

OWNERS = {"project": (Project, "projects.display", "project_id"),
          "programme": (Programme, "projects.programme", "programme_id"),
          "organisation": (Organisation, "projects.organisation", "organisation_id")}


def _owner_of(line: BudgetLine) -> tuple[str, Any]:
    return next((name, getattr(line, name)) for name in OWNERS if getattr(line, name) is not None)


def _owner_url(name: str, owner: Any) -> str:
    _, endpoint, arg = OWNERS[name]
    return url_for(endpoint, **{arg: owner.id})


def _totals_for(name: str, owner: Any) -> list[StatedTotal]:
    """The stated totals a line of this owner can be part of: its programme's, else every one."""
    programme_id = owner.id if name == "programme" else owner.programme_id if name == "project" else None
    if programme_id is not None:
        return totals_for_programme(programme_id)
    return list(db.session.scalars(select(StatedTotal).order_by(StatedTotal.year, StatedTotal.label)))


def _owner_label(owner: Any) -> str:
    return getattr(owner, "label", None) if isinstance(owner, Project) else owner.name


@requires(Role.EDITOR)
def budget_line_new(owner: str, owner_id: int):  # type: ignore[no-untyped-def]
    """A new budget line for a project, programme or organisation (the owner is in the address).

    On GET the form can be pre-filled from the query string (the paste-a-note page links here so):
    ``bedrag`` (amount as printed), ``jaar`` (year), ``omschrijving`` (label), ``soort`` (kind:
    investering, exploitatie or betaalprognose), ``beslissing`` (a decision's document number or key)
    and ``bron`` (cite); see ``AmountFields.PREFILL``. GET only fills the form: nothing is checked or
    written until the editor posts it, which validates as ever.
    """
    model = OWNERS[owner][0]
    record = db.get_or_404(model, owner_id)
    back = _owner_url(owner, record)
    form = BudgetLineForm().offer(_totals_for(owner, record))
    prefilled = request.method == "GET" and form.prefill(request.args)
    page = Page(f"Nieuwe budgetlijn voor {_owner_label(record)}", request.path, back,
                crumbs=[(_owner_label(record), back)],
                intro=("Vooraf ingevuld met wat de tracker in een nota las. Kijk elk veld na; er is nog niets "
                       "opgeslagen." + (" De beslissing moet al in de tracker staan voor u opslaat."
                                        if form.decision.data else "")) if prefilled else "")
    return save_form(form, page, lambda data: create_budget_line({**data, owner: record}, current_user),
                     lambda _: back)


@requires(Role.EDITOR)
def budget_line_edit(line_id: int):  # type: ignore[no-untyped-def]
    line = db.get_or_404(BudgetLine, line_id)
    name, owner = _owner_of(line)
    totals = _totals_for(name, owner)
    form = BudgetLineForm().offer(totals) if request.method == "POST" else BudgetLineForm.of(line, totals)
    back = _owner_url(name, owner)
    page = Page(f"Budgetlijn bewerken ({_owner_label(owner)}, {line.year})",
                url_for("projects.budget_line_edit", line_id=line.id), back, crumbs=[(_owner_label(owner), back)])
    return save_form(form, page, lambda data: update_budget_line(line, data, current_user, form.seen_version()),
                     lambda _: back, line, LABELS)


@requires(Role.EDITOR)
def budget_line_delete(line_id: int):  # type: ignore[no-untyped-def]
    line = db.get_or_404(BudgetLine, line_id)
    name, owner = _owner_of(line)
    back = _owner_url(name, owner)
    deletion = Deletion("Budgetlijn verwijderen",
                        f"de budgetlijn van {format_euro(line.amount)} ({line.kind.label.lower()}, {line.year}) "
                        f"voor {_owner_label(owner)}", url_for("projects.budget_line_delete", line_id=line.id), back)
    return confirm_delete(deletion, FlaskForm(), lambda: delete_budget_line(line, current_user),
                          _deleted("De budgetlijn is verwijderd.", back))


def _total_back(total: StatedTotal) -> str:
    if total.programme_id:
        return url_for("projects.programme", programme_id=total.programme_id)
    if total.decision_id:
        return url_for("decisions.display", decision_id=total.decision_id)
    return url_for("projects.programmes")


@requires(Role.EDITOR)
def stated_total_new(programme_id: int):  # type: ignore[no-untyped-def]
    programme = db.get_or_404(Programme, programme_id)
    back = url_for("projects.programme", programme_id=programme.id)
    page = Page(f"Nieuw vermeld totaal voor {programme.name}", request.path, back,
                crumbs=_programme_crumbs(programme),
                intro="Een totaal zoals het document het vermeldt; de tracker toont het naast de som van de delen.")

    def save(data: dict[str, Any]) -> StatedTotal:
        key = data.pop("key", None) or free_key(StatedTotal, f"{programme.key}/{slug(data['label'])}")
        return create_stated_total({**data, "key": key, "programme": programme}, current_user)

    return save_form(StatedTotalForm(), page, save, lambda _: back)


@requires(Role.EDITOR)
def stated_total_edit(total_id: int):  # type: ignore[no-untyped-def]
    total = db.get_or_404(StatedTotal, total_id)
    form = StatedTotalForm() if request.method == "POST" else StatedTotalForm.of(total)
    back = _total_back(total)
    page = Page(f"Vermeld totaal bewerken: {total.label}", url_for("projects.stated_total_edit", total_id=total.id),
                back)
    return save_form(form, page, lambda data: update_stated_total(total, data, current_user, form.seen_version()),
                     lambda _: back, total, LABELS)


@requires(Role.EDITOR)
def stated_total_delete(total_id: int):  # type: ignore[no-untyped-def]
    total = db.get_or_404(StatedTotal, total_id)
    back = _total_back(total)
    deletion = Deletion("Vermeld totaal verwijderen", f"het vermelde totaal “{total.label}”",
                        url_for("projects.stated_total_delete", total_id=total.id), back, blockers=references(total))
    return confirm_delete(deletion, FlaskForm(), lambda: delete_stated_total(total, current_user),
                          _deleted("Het vermelde totaal is verwijderd.", back))
