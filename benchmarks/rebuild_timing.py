"""Time full index rebuilds of the real data: ``python -m benchmarks.rebuild_timing [--repeat N]``.

Loads the seed data and the real data (../shared/real-data) into a temporary SQLite database once,
then runs ``tracker index rebuild``'s code N times and prints the wall-clock and CPU seconds of
each run (CPU includes child processes), with the minimum and the median. The minimum is the
figure to compare on a shared machine.
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import delete

from tracker import create_app
from tracker.config import ROOT, TestConfig
from tracker.core.db import db


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description="Tijd van een volledige herbouw van de zoekindex (echte data).")
    parser.add_argument("--repeat", type=int, default=5, help="aantal herbouwingen")
    args = parser.parse_args()
    from benchmarks.search_bench import load_real_data
    from tracker.core.cli import upgrade_database
    from tracker.importers.seeds import load_seeds
    from tracker.search.index import get_index
    from tracker.search.models import IndexQueueItem
    from tracker.search.outbox import rebuild

    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory(prefix="rebuild-timing-") as tmp:
        app = create_app(TestConfig(f"sqlite:///{tmp}/real.db", str(Path(tmp) / "index")))
        app.config.update(SEARCH_SYNC_INTERVAL=10**9)
        with app.app_context():
            upgrade_database()
            load_seeds(db.session, ROOT / "seeds")
            db.session.commit()
            load_real_data(db.session)
            db.session.execute(delete(IndexQueueItem))
            db.session.commit()
            walls, cpus = [], []
            for i in range(args.repeat):
                wall, cpu = time.perf_counter(), _cpu()
                count = rebuild(get_index(), db.engine, 60)  # type: ignore[arg-type]
                walls.append(time.perf_counter() - wall)
                cpus.append(_cpu() - cpu)
                print(f"run {i + 1}: {count} documenten, {walls[-1]:.2f} s ({cpus[-1]:.2f} s CPU)", flush=True)
            print(f"min {min(walls):.2f} s, mediaan {statistics.median(walls):.2f} s; "
                  f"CPU min {min(cpus):.2f} s, mediaan {statistics.median(cpus):.2f} s over {len(walls)} runs")
            get_index(app).close()
            db.engine.dispose()


if __name__ == "__main__":
    main()
