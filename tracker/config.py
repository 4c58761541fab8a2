"""Configuration: defaults, overridden by TRACKER_* environment variables."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


class Config:
    SQLALCHEMY_ECHO = False
    WTF_CSRF_ENABLED = True
    PER_PAGE = 25
    # Request limits (README, "Input and limits"). A request body over MAX_CONTENT_LENGTH bytes is a
    # Dutch 413; a query string over MAX_QUERY_STRING_CHARS characters (after %-decoding) or a path over
    # MAX_PATH_CHARS characters is a Dutch 414, checked before any view runs.
    MAX_CONTENT_LENGTH = 1024 * 1024
    MAX_QUERY_STRING_CHARS = 16_384
    MAX_PATH_CHARS = 2_048
    SERVER_HEADER = "Regeerakkoord-tracker"  # sent instead of the server's name and versions
    REAL_DATA_DIR = str(ROOT.parent / "shared" / "real-data")
    # Sessions and logins (README, "Accounts and security").
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 0

    def __init__(self) -> None:
        env = os.environ.get
        self.DATABASE_URL = env("TRACKER_DATABASE_URL", f"sqlite:///{INSTANCE / 'tracker.db'}")
        self.INDEX_DIR = env("TRACKER_INDEX_DIR", str(INSTANCE / "index"))
        # A fixed fallback would let anyone forge sessions in production; the
        # development default is generated once and kept under instance/.
        self.SECRET_KEY = env("TRACKER_SECRET_KEY") or _instance_secret()
        self.SESSION_IDLE_MINUTES = float(env("TRACKER_SESSION_IDLE_MINUTES", "60"))
        self.SESSION_LIFETIME_HOURS = float(env("TRACKER_SESSION_LIFETIME_HOURS", "12"))
        self.SESSION_COOKIE_SECURE = env("TRACKER_SESSION_COOKIE_SECURE", "0") == "1"
        self.LOGIN_MAX_FAILURES_PER_ACCOUNT = int(env("TRACKER_LOGIN_MAX_FAILURES_PER_ACCOUNT", "5"))
        self.LOGIN_MAX_FAILURES_PER_ADDRESS = int(env("TRACKER_LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
        self.LOGIN_THROTTLE_MINUTES = float(env("TRACKER_LOGIN_THROTTLE_MINUTES", "15"))
        # Behind a reverse proxy, the number of proxies whose X-Forwarded-For to trust (for throttling).
        self.TRUSTED_PROXIES = int(env("TRACKER_TRUSTED_PROXIES", "0"))
        # Headless Chromium prints the PDF reports; empty: the first chromium on PATH.
        self.CHROMIUM = env("TRACKER_CHROMIUM", "")


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False

    def __init__(self, database_url: str, index_dir: str) -> None:
        super().__init__()
        self.DATABASE_URL = database_url
        self.INDEX_DIR = index_dir
        self.SECRET_KEY = "test"


def _instance_secret() -> str:
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.write_text(os.urandom(32).hex())
        path.chmod(0o600)
    return path.read_text().strip()
