"""Configuration: defaults, overridden by TRACKER_* environment variables."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


class Config:
    SQLALCHEMY_ECHO = False
    WTF_CSRF_ENABLED = True
    PER_PAGE = 25
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
