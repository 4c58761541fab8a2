from flask import Blueprint

from tracker.accounts import admin, views

bp = Blueprint("accounts", __name__)
bp.add_url_rule("/aanmelden", "login", views.login, methods=["GET", "POST"])
bp.add_url_rule("/afmelden", "logout", views.logout, methods=["GET", "POST"])
# The admins' users page (tracker/accounts/admin.py).
bp.add_url_rule("/beheer/gebruikers", "users", admin.users, methods=["GET", "POST"])
bp.add_url_rule("/beheer/gebruikers/<int:user_id>", "user", admin.user)
bp.add_url_rule("/beheer/gebruikers/<int:user_id>/rol", "user_role", admin.user_role, methods=["POST"])
bp.add_url_rule("/beheer/gebruikers/<int:user_id>/wachtwoord", "user_password", admin.user_password,
                methods=["POST"])
bp.add_url_rule("/beheer/gebruikers/<int:user_id>/uitschakelen", "user_disable", admin.user_disable,
                methods=["POST"])
bp.add_url_rule("/beheer/gebruikers/<int:user_id>/inschakelen", "user_enable", admin.user_enable,
                methods=["POST"])
