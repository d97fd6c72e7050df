"""What the server does when it starts (the lifespan of app.py's st.App): the daily backup job of this
process's database starts now (analytics/backup_schedule.py), so a server no browser has visited yet still
writes its nightly snapshot. Idempotent: one job per database and process (the first page run's call to
backup_schedule.start, ui/db.py, then finds it started). No Streamlit import at module level."""
from __future__ import annotations

import contextlib
import logging

from starlette.concurrency import run_in_threadpool

log = logging.getLogger("yiyong")


def start_backup_schedule() -> None:
    from analytics import backup_schedule
    from ui import db

    try:
        path = db.db_path()
        # the factory is the app's write connection (the file, opened when the job runs; in server mode the
        # process's copy brought up to date), looked up when the job runs, not now
        backup_schedule.start(path, db.connection)
    except Exception:  # noqa: BLE001 - never keep the server from starting; the first page says what is wrong
        log.exception("the scheduled backup could not be started at server start")


@contextlib.asynccontextmanager
async def lifespan(_app):
    await run_in_threadpool(start_backup_schedule)
    yield
