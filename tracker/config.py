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

    def __init__(self) -> None:
        self.DATABASE_URL = os.environ.get(
            "TRACKER_DATABASE_URL", f"sqlite:///{INSTANCE / 'tracker.db'}"
        )
        self.INDEX_DIR = os.environ.get("TRACKER_INDEX_DIR", str(INSTANCE / "index"))
        # A fixed fallback would let anyone forge sessions in production; the
        # development default is generated once and kept under instance/.
        self.SECRET_KEY = os.environ.get("TRACKER_SECRET_KEY") or _instance_secret()


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False

    def __init__(self, database_url: str, index_dir: str) -> None:
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
