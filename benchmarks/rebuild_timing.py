"""Time full rebuilds of the real data: alternate procs settings, report each run."""
import inspect, statistics, sys, tempfile, time, logging, resource
from pathlib import Path
from sqlalchemy import delete
from tracker import create_app
from tracker.config import ROOT, TestConfig
from tracker.core.db import db
logging.disable(logging.INFO)
repeat = int(sys.argv[1]); variants = [int(v) for v in sys.argv[2].split(",")]
from benchmarks.search_bench import load_real_data
from tracker.core.cli import upgrade_database
from tracker.importers.seeds import load_seeds
from tracker.search.index import get_index
from tracker.search.models import IndexQueueItem
from tracker.search import outbox
with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    app = create_app(TestConfig(f"sqlite:///{tmp}/real.db", str(tmp / "index")))
    app.config.update(SEARCH_SYNC_INTERVAL=10**9)
    with app.app_context():
        upgrade_database(); load_seeds(db.session, ROOT / "seeds"); db.session.commit()
        load_real_data(db.session); db.session.execute(delete(IndexQueueItem)); db.session.commit()
        has_procs = "procs" in inspect.signature(outbox.rebuild).parameters
        times = {v: [] for v in variants}
        for i in range(repeat):
            for v in variants:
                kw = {"procs": v} if has_procs else {}
                t = time.perf_counter(); n = outbox.rebuild(get_index(), db.engine, 60, **kw); e = time.perf_counter() - t
                times[v].append(e); print(f"procs={v} run {i}: {n} docs {e:.2f} s", flush=True)
        for v, ts in times.items():
            print(f"procs={v}: min {min(ts):.2f} s, median {statistics.median(ts):.2f} s over {len(ts)}")
