"""Accounts: who can log in, passwords, throttling, sessions that end, CSRF, the account commands."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import PASSWORD, log_in, make_app
from tracker.accounts.models import LoginAttempt, LoginSession, User
from tracker.accounts.operations import create_user, disable_user, set_password
from tracker.accounts.passwords import check_password_rules
from tracker.audit.models import LogEntry
from tracker.core.db import db
from tracker.core.errors import ValidationError
from tracker.core.writes import unguarded

EDITOR = "redacteur@example.be"


def attempt(browser, email: str = EDITOR, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return browser.post("/aanmelden", data={"email": email, "password": password})


def is_logged_in(browser) -> bool:  # type: ignore[no-untyped-def]
    return "Afmelden</button>" in browser.get("/").get_data(as_text=True)


# --------------------------------------------------------------------------- logging in


def test_login_and_logout(app: Flask, accounts) -> None:  # type: ignore[no-untyped-def]
    browser = app.test_client()
    page = browser.get("/aanmelden").get_data(as_text=True)
    assert '<label for="email">E-mailadres</label>' in page and 'autocomplete="current-password"' in page
    response = attempt(browser)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = browser.get("/").get_data(as_text=True)
    assert "Eva Redacteur (redacteur)" in home and "U bent aangemeld als Eva Redacteur" in home
    response = browser.post("/afmelden")
    assert response.status_code == 302
    assert not is_logged_in(browser)
    with app.app_context():
        kinds = list(db.session.scalars(select(LogEntry.kind).where(LogEntry.realm == "accounts")
                                        .order_by(LogEntry.id)))
    assert kinds[-2:] == ["logged_in", "logged_out"]


def test_logout_over_get_changes_nothing(client_as) -> None:  # type: ignore[no-untyped-def]
    browser = client_as("editor")
    page = browser.get("/afmelden").get_data(as_text=True)
    assert "U bent aangemeld als Eva Redacteur" in page and '<form method="post"' in page
    assert is_logged_in(browser)


def test_login_follows_only_local_next_addresses(app: Flask, accounts) -> None:  # type: ignore[no-untyped-def]
    for target, expected in (("/bronnen", "/bronnen"), ("//evil.example/x", "/"),
                             ("https://evil.example/", "/"), ("/\\evil.example", "/")):
        browser = app.test_client()
        response = browser.post("/aanmelden", data={"email": EDITOR, "password": PASSWORD, "volgende": target})
        assert response.headers["Location"] == expected, target


def test_wrong_password_and_unknown_address_give_the_same_dutch_answer(app: Flask, accounts) -> None:  # type: ignore[no-untyped-def]
    browser = app.test_client()
    wrong = attempt(browser, password=PASSWORD + "x")
    unknown = attempt(browser, email="niemand@example.be")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "horen niet bij een actief account" in response.get_data(as_text=True)
    assert not is_logged_in(browser)
    # Checked exactly as typed: no trimming, no case folding.
    assert "horen niet bij" in attempt(browser, password=" " + PASSWORD).get_data(as_text=True)
    assert "horen niet bij" in attempt(browser, password=PASSWORD.upper()).get_data(as_text=True)


def test_an_empty_form_is_refused_beside_its_fields(app: Flask) -> None:
    response = app.test_client().post("/aanmelden", data={"email": "", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="email-fout"' in page and "Vul uw e-mailadres in." in page and "Vul uw wachtwoord in." in page


def test_no_seeded_or_default_account_can_log_in(app: Flask) -> None:
    with app.app_context():
        users = list(db.session.scalars(select(User)))
        assert {u.username for u in users} >= {"seed-redacteur", "seed-beoordelaar"}
        assert not any(u.can_log_in for u in users)
        assert all(u.password_hash is None for u in users)
    browser = app.test_client()
    for user in users:
        for password in ("", "seed", user.username, PASSWORD):
            attempt(browser, email=user.username, password=password)
            attempt(browser, email=f"{user.username}@example.be", password=password)
    assert not is_logged_in(browser)


def test_session_identifier_is_renewed_at_login(app: Flask, accounts) -> None:  # type: ignore[no-untyped-def]
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["planted"] = "by an attacker"
    attempt(browser)
    with browser.session_transaction() as session:
        assert "planted" not in session
        first_token = session["_user_id"]
    browser.post("/afmelden")
    attempt(browser)
    with browser.session_transaction() as session:
        assert session["_user_id"] != first_token


# --------------------------------------------------------------------------- sessions that end


def replay(app: Flask, cookie: str):  # type: ignore[no-untyped-def]
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def session_cookie(browser) -> str:  # type: ignore[no-untyped-def]
    return browser.get_cookie("session").value


@pytest.mark.parametrize("how", ["logout", "disable", "password"])
def test_a_replayed_old_cookie_is_anonymous(app: Flask, accounts, how: str) -> None:  # type: ignore[no-untyped-def]
    browser = log_in(app, EDITOR)
    cookie = session_cookie(browser)
    assert is_logged_in(replay(app, cookie))
    if how == "logout":
        browser.post("/afmelden")
    else:
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == EDITOR))
            admin = db.session.scalar(select(User).where(User.email == "beheerder@example.be"))
            if how == "disable":
                disable_user(user, admin)
            else:
                set_password(user, "een geheel nieuwe wachtwoordzin", admin)
            db.session.commit()
        assert not is_logged_in(browser)
    assert not is_logged_in(replay(app, cookie))
    with app.app_context():
        ended = db.session.scalar(select(LoginSession).order_by(LoginSession.id.desc()))
        assert ended.ended_dt is not None
        assert ended.end_reason == {"logout": "afgemeld", "disable": "account uitgeschakeld",
                                    "password": "wachtwoord gewijzigd"}[how]


def test_a_disabled_account_cannot_log_in_again(app: Flask, accounts) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        disable_user(db.session.scalar(select(User).where(User.email == EDITOR)), None)
        db.session.commit()
    assert "horen niet bij" in attempt(app.test_client()).get_data(as_text=True)


def _age_sessions(app: Flask, **delta: float) -> None:
    with app.app_context(), unguarded(db.session()):
        for login in db.session.scalars(select(LoginSession)):
            login.created_dt -= timedelta(**delta)
            login.last_seen_dt -= timedelta(**delta)
        db.session.commit()


def test_idle_timeout_ends_a_session(app: Flask, accounts) -> None:  # type: ignore[no-untyped-def]
    browser = log_in(app, EDITOR)
    _age_sessions(app, minutes=app.config["SESSION_IDLE_MINUTES"] - 1)
    assert is_logged_in(browser)  # a request within the idle time keeps it alive ...
    _age_sessions(app, minutes=app.config["SESSION_IDLE_MINUTES"] - 1)
    assert is_logged_in(browser)  # ... again, though the login is older than the idle time now
    _age_sessions(app, minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    assert not is_logged_in(browser)
    with app.app_context():
        assert db.session.scalar(select(LoginSession.end_reason)) == "inactief"


def test_absolute_lifetime_ends_an_active_session(databases, seeded_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = databases.clone("seeded", tmp_path)
    app = make_app(url, tmp_path / "index")
    app.config.update(SESSION_LIFETIME_HOURS=1, SESSION_IDLE_MINUTES=30)
    with app.app_context():
        create_user(EDITOR, "Eva Redacteur", "editor", email=EDITOR, password=PASSWORD)
        db.session.commit()
    browser = log_in(app, EDITOR)

    def later(minutes: int) -> None:  # the login is older; the last request was just now
        _age_sessions(app, minutes=minutes)
        with app.app_context(), unguarded(db.session()):
            for login in db.session.scalars(select(LoginSession)):
                login.last_seen_dt += timedelta(minutes=minutes)
            db.session.commit()

    for _ in range(2):  # active every 25 minutes: never idle
        later(25)
        assert is_logged_in(browser)
    later(11)
    assert not is_logged_in(browser)
    with app.app_context():
        assert db.session.scalar(select(LoginSession.end_reason)) == "verlopen"
        db.engine.dispose()
    databases.drop(url)


# --------------------------------------------------------------------------- throttling


def from_address(app: Flask, address: str):  # type: ignore[no-untyped-def]
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def test_failed_logins_are_throttled_per_account_in_the_database(app: Flask, accounts, databases, tmp_path) -> None:  # type: ignore[no-untyped-def]
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for i in range(limit):
        # Each from another address: the per-account count holds across addresses.
        from_address(app, f"10.0.0.{i}").post(
            "/aanmelden", data={"email": EDITOR, "password": "fout wachtwoord nr. %d" % i})
    # A second server process on the same database (another app) sees the same count.
    second = make_app(app.config["DATABASE_URL"], tmp_path / "index-2")
    response = from_address(second, "10.9.9.9").post(
        "/aanmelden", data={"email": EDITOR, "password": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Te veel mislukte aanmeldpogingen. Probeer het opnieuw over 15 minuten" in page
    assert 800 < int(response.headers["Retry-After"]) <= 901
    # Another account from the same addresses is not held up.
    assert attempt(app.test_client(), email="beoordelaar@example.be").status_code == 302
    with second.app_context():
        db.engine.dispose()


def test_throttling_ends_when_the_window_has_passed(app: Flask, accounts) -> None:  # type: ignore[no-untyped-def]
    browser = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        attempt(browser, password="helemaal verkeerd")
    assert attempt(browser).status_code == 429
    with app.app_context(), unguarded(db.session()):
        for row in db.session.scalars(select(LoginAttempt)):
            row.attempted_dt -= timedelta(minutes=app.config["LOGIN_THROTTLE_MINUTES"] + 1)
        db.session.commit()
    assert attempt(browser).status_code == 302


def test_failed_logins_are_throttled_per_address(app: Flask, accounts) -> None:  # type: ignore[no-untyped-def]
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 4
    browser = from_address(app, "192.0.2.7")
    for i in range(4):
        attempt(browser, email=f"gok{i}@example.be", password="wat dan ook hier")
    response = attempt(browser)
    assert response.status_code == 429 and "Te veel mislukte aanmeldpogingen" in response.get_data(as_text=True)
    assert attempt(from_address(app, "192.0.2.8")).status_code == 302


def test_a_successful_login_resets_the_account_count(app: Flask, accounts) -> None:  # type: ignore[no-untyped-def]
    browser = app.test_client()
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit - 1):
        attempt(browser, password="helemaal verkeerd")
    assert attempt(browser).status_code == 302
    browser.post("/afmelden")
    for _ in range(limit - 1):
        attempt(browser, password="helemaal verkeerd")
    assert attempt(browser).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 2 * limit


# --------------------------------------------------------------------------- CSRF


def test_forms_without_a_csrf_token_are_refused(databases, seeded_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = databases.clone("seeded", tmp_path)
    app = make_app(url, tmp_path / "index")
    app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():
        create_user(EDITOR, "Eva Redacteur", "editor", email=EDITOR, password=PASSWORD)
        db.session.commit()
    browser = app.test_client()
    refused = browser.post("/aanmelden", data={"email": EDITOR, "password": PASSWORD})
    assert refused.status_code == 400 and "Het formulier is verlopen of onvolledig" in refused.get_data(as_text=True)
    page = browser.get("/aanmelden").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert browser.post("/aanmelden", data={"email": EDITOR, "password": PASSWORD,
                                            "csrf_token": token}).status_code == 302
    # Logging out needs the token too: a forged cross-site POST cannot end the session.
    assert browser.post("/afmelden").status_code == 400
    assert is_logged_in(browser)
    with app.app_context():
        db.engine.dispose()
    databases.drop(url)


# --------------------------------------------------------------------------- passwords


@pytest.mark.parametrize("password, message", [
    ("kort", "te kort (4 tekens)"),
    ("x" * 11, "te kort (11 tekens)"),
    ("a" * 257, "te lang (257 tekens)"),
    ("password123456", "veelgebruikte"),
    ("qwertyuiop123", "veelgebruikte"),
    ("aaaaaaaaaaaaaaaa", "veelgebruikte"),
    ("evaredacteur1", "uw naam"),
])
def test_password_rules(password: str, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        check_password_rules(password, "Eva Redacteur", "evaredacteur@example.be")


def test_good_passwords_pass_exactly_as_typed() -> None:
    for password in (PASSWORD, "  spaties tellen mee  ", "x" * 12 + "ÿ€🙂", "zonnebloem en regen " * 12):
        check_password_rules(password, "Eva Redacteur", "eva@example.be")


# --------------------------------------------------------------------------- the account commands


def test_user_commands(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["user", "create", "Piet@Example.be", "--name", "Piet Peeters", "--role", "reviewer"],
                           input="een wachtwoordzin van piet\n")
    assert result.exit_code == 0, result.output
    assert "Account piet@example.be aangemaakt (reviewer)" in result.output
    log_in(app, "piet@example.be", "een wachtwoordzin van piet")

    weak = runner.invoke(args=["user", "create", "jan@example.be", "--name", "Jan", "--role", "editor"],
                         input="wachtwoord\n")
    assert weak.exit_code != 0 and "te kort" in weak.output and "Traceback" not in weak.output
    # The password is never an argument.
    assert runner.invoke(args=["user", "create", "jan@example.be", "--name", "Jan", "--role", "editor",
                               "--password", "een wachtwoordzin van jan"]).exit_code == 2

    result = runner.invoke(args=["user", "set-role", "piet@example.be", "admin"])
    assert result.exit_code == 0 and "beheerder" in result.output
    result = runner.invoke(args=["user", "set-password", "piet@example.be"], input="nog een andere zin voor piet\n")
    assert result.exit_code == 0, result.output
    log_in(app, "piet@example.be", "nog een andere zin voor piet")
    last = runner.invoke(args=["user", "disable", "piet@example.be"])
    assert last.exit_code != 0 and "laatste actieve beheerder" in last.output
    assert runner.invoke(args=["user", "create", "ann@example.be", "--name", "Ann Admin", "--role", "admin"],
                         input="de zin van ann de beheerder\n").exit_code == 0
    assert runner.invoke(args=["user", "disable", "piet@example.be"]).exit_code == 0
    listing = runner.invoke(args=["user", "list"]).output
    assert "piet@example.be\tPiet Peeters\tadmin\tuitgeschakeld" in listing
    assert "seed-redacteur\t" in listing and "kan niet aanmelden" in listing
    missing = runner.invoke(args=["user", "disable", "niemand@example.be"])
    assert missing.exit_code != 0 and "bestaat niet" in missing.output
    with app.app_context():
        piet = db.session.scalar(select(User).where(User.email == "piet@example.be"))
        assert not piet.can_log_in and piet.role.value == "admin"
        kinds = set(db.session.scalars(select(LogEntry.kind).where(LogEntry.target_type == "users",
                                                                  LogEntry.target_id == piet.id)))
        assert {"created", "updated", "password_set", "disabled"} <= kinds
        assert "een wachtwoordzin" not in str(list(db.session.scalars(select(LogEntry.data))))


def test_the_last_admin_keeps_the_role(app: Flask, accounts) -> None:  # type: ignore[no-untyped-def]
    from tracker.accounts.operations import set_role

    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "beheerder@example.be"))
        with pytest.raises(ValidationError, match="laatste actieve beheerder"):
            set_role(admin, "editor", None)
        db.session.rollback()
        with pytest.raises(ValidationError, match="laatste actieve beheerder"):
            disable_user(admin, None)
        db.session.rollback()
        reviewer = db.session.scalar(select(User).where(User.email == "beoordelaar@example.be"))
        set_role(reviewer, "admin", admin)
        db.session.commit()
        with pytest.raises(ValidationError, match="eigen beheerdersrechten"):
            set_role(admin, "editor", admin)
        db.session.rollback()
        set_role(admin, "editor", reviewer)  # another admin may
        db.session.commit()
        assert admin.role.value == "editor"
