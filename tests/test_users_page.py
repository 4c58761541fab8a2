"""The admins' users page at /beheer/gebruikers: list, create, change a role, set a password, disable, enable."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import ACCOUNTS, PASSWORD, log_in
from tests.test_review_browser import field_error, text
from tracker.accounts.models import Role, User
from tracker.audit.models import LogEntry
from tracker.core.db import db

NEW_PASSWORD = "drie groene kikkers in de vijver"


def account(app, email: str) -> dict | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        u = db.session.scalar(select(User).where(User.email == email))
        return None if u is None else {"id": u.id, "role": u.role, "active": u.active, "name": u.name,
                                       "hash": u.password_hash}


def count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def changes_logged(app) -> int:  # type: ignore[no-untyped-def]
    """Audit entries other than logins (logging in to make the request writes one)."""
    with app.app_context():
        return db.session.scalar(select(func.count(LogEntry.id)).where(LogEntry.kind != "logged_in"))


def new_account(**changes) -> dict:  # type: ignore[no-untyped-def]
    data = {"email": "Nieuwe.Redacteur@Example.be", "name": "Nora Nieuw", "role": "editor",
            "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    data.update(changes)
    return data


@pytest.mark.parametrize("role,code", [(None, 302), ("editor", 403), ("reviewer", 403), ("admin", 200)])
def test_only_admins_manage_users(app, client_as, role, code) -> None:  # type: ignore[no-untyped-def]
    browser = client_as(role)
    assert browser.get("/beheer/gebruikers").status_code == code
    users = count(app, User)
    post = browser.post("/beheer/gebruikers", data=new_account())
    assert post.status_code == (302 if role == "admin" else 401 if role is None else 403)
    assert count(app, User) == users + (1 if role == "admin" else 0)
    target = account(app, ACCOUNTS["editor"])["id"]
    if role != "admin":
        for action in ("rol", "wachtwoord", "uitschakelen", "inschakelen"):
            assert browser.post(f"/beheer/gebruikers/{target}/{action}", data={"role": "admin"}).status_code in (401, 403)
        assert account(app, ACCOUNTS["editor"])["role"] is Role.EDITOR


def test_the_list_shows_role_and_whether_an_account_can_log_in(app, client_as) -> None:  # type: ignore[no-untyped-def]
    page = text(client_as("admin").get("/beheer/gebruikers"))
    row = page.split("redacteur@example.be")[0].rsplit("<tr>", 1)[1] + page.split("redacteur@example.be")[1].split("</tr>")[0]
    assert "Eva Redacteur" in row and "redacteur" in row and "ja" in row
    # The seed accounts that author the seeded assessment cannot log in.
    assert "nee (geen e-mailadres)" in page


def test_an_admin_creates_an_account_that_can_log_in(app, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as("admin").post("/beheer/gebruikers", data=new_account(role="reviewer"))
    assert response.status_code == 302
    created = account(app, "nieuwe.redacteur@example.be")
    assert created["role"] is Role.REVIEWER and created["name"] == "Nora Nieuw"
    with app.app_context():
        entry = db.session.scalar(select(LogEntry).where(LogEntry.target_type == "users",
                                                         LogEntry.target_id == created["id"]))
        assert entry.kind == "created" and entry.actor.email == ACCOUNTS["admin"]
    log_in(app, "nieuwe.redacteur@example.be", NEW_PASSWORD)


@pytest.mark.parametrize("changes,field,message", [
    ({"password": "kort", "password2": "kort"}, "password", "te kort"),
    ({"password": "password1234", "password2": "password1234"}, "password", "veelgebruikte wachtwoorden"),
    ({"password2": "een ander wachtwoord dan het eerste"}, "password2", "De twee wachtwoorden verschillen"),
    ({"email": "geen-adres"}, "email", "geen geldig e-mailadres"),
    ({"email": ACCOUNTS["editor"]}, "email", "al in gebruik"),
    ({"name": ""}, "name", "Vul de volledige naam in"),
    ({"role": "baas"}, "role", "Onbekende rol"),
])
def test_refused_accounts_show_the_error_beside_the_field(app, client_as, changes, field, message) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("admin")
    users, entries = count(app, User), changes_logged(app)
    response = admin.post("/beheer/gebruikers", data=new_account(**changes))
    assert response.status_code == 422
    page = text(response)
    assert message in field_error(page, field), page[-4000:]
    assert (count(app, User), changes_logged(app)) == (users, entries)


def test_an_admin_changes_a_role(app, client_as) -> None:  # type: ignore[no-untyped-def]
    target = account(app, ACCOUNTS["editor"])
    admin = client_as("admin")
    assert "Rol wijzigen" in text(admin.get(f"/beheer/gebruikers/{target['id']}"))
    assert admin.post(f"/beheer/gebruikers/{target['id']}/rol", data={"role": "reviewer"}).status_code == 302
    assert account(app, ACCOUNTS["editor"])["role"] is Role.REVIEWER
    refused = admin.post(f"/beheer/gebruikers/{target['id']}/rol", data={"role": "koning"})
    assert refused.status_code == 422 and "Onbekende rol" in field_error(text(refused), "role")
    assert account(app, ACCOUNTS["editor"])["role"] is Role.REVIEWER


def test_an_admin_sets_a_new_password_and_the_old_sessions_end(app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    assert editor.get("/werkbank").status_code == 200
    target = account(app, ACCOUNTS["editor"])
    admin = client_as("admin")
    short = admin.post(f"/beheer/gebruikers/{target['id']}/wachtwoord", data={"password": "kort", "password2": "kort"})
    assert short.status_code == 422 and "te kort" in field_error(text(short), "password")
    assert account(app, ACCOUNTS["editor"])["hash"] == target["hash"]
    response = admin.post(f"/beheer/gebruikers/{target['id']}/wachtwoord",
                          data={"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert account(app, ACCOUNTS["editor"])["hash"] != target["hash"]
    assert editor.get("/werkbank").status_code == 302  # the old session ended
    log_in(app, ACCOUNTS["editor"], NEW_PASSWORD)


def test_an_admin_disables_and_enables_an_account(app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    target = account(app, ACCOUNTS["editor"])
    admin = client_as("admin")
    assert admin.post(f"/beheer/gebruikers/{target['id']}/uitschakelen").status_code == 302
    assert account(app, ACCOUNTS["editor"])["active"] is False
    assert editor.get("/werkbank").status_code == 302
    assert "nee (uitgeschakeld)" in text(admin.get("/beheer/gebruikers"))
    refused = app.test_client().post("/aanmelden", data={"email": ACCOUNTS["editor"], "password": PASSWORD})
    assert refused.status_code == 200 and "horen niet bij een actief account" in text(refused)
    assert admin.post(f"/beheer/gebruikers/{target['id']}/inschakelen").status_code == 302
    assert account(app, ACCOUNTS["editor"])["active"] is True
    log_in(app, ACCOUNTS["editor"])


def test_an_admin_cannot_disable_their_own_account(app, client_as) -> None:  # type: ignore[no-untyped-def]
    me = account(app, ACCOUNTS["admin"])
    response = client_as("admin").post(f"/beheer/gebruikers/{me['id']}/uitschakelen")
    assert response.status_code == 422 and "eigen account niet uitschakelen" in text(response)
    assert account(app, ACCOUNTS["admin"])["active"] is True


def test_users_pages_are_404_for_unknown_ids(client_as) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("admin")
    assert admin.get("/beheer/gebruikers/999999").status_code == 404
    assert admin.post("/beheer/gebruikers/999999/uitschakelen").status_code == 404
