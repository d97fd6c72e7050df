"""One app process on the file: writes (a session's touch, a correction) and refreshes of the read copy running
at the same moment in different threads never deadlock (analytics/shared.py takes store.WRITE_LOCK before the
file's lock, as store.transaction does). Before, a serving app hung for good when a write and a refresh met:
seen with 6 browser sessions switching pages (scripts/bench_load.py)."""
from __future__ import annotations

import threading
import time

from analytics import shared, store


def test_writes_and_copy_refreshes_at_once_do_not_deadlock(tmp_db):
    access = shared.FileAccess(tmp_db, idle_seconds=0.05)
    copy = shared.ReadCopy(access)
    copy.cursor().close()
    errors: list[BaseException] = []
    rounds = 150

    def writer():
        try:
            for i in range(rounds):
                with store.transaction(access.connection()) as cur:
                    store.set_setting(cur, "lock_test", str(i))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def reader():
        try:
            for _ in range(rounds):
                copy.refresh()
                cur = copy.cursor()
                cur.execute("SELECT count(*) FROM settings").fetchall()
                cur.close()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def closer():
        try:
            for _ in range(rounds // 3):
                access.close()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=f, daemon=True) for f in (writer, writer, reader, reader, closer)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()))
    hung = [t for t in threads if t.is_alive()]
    assert hung == [], "deadlock: threads still waiting after 60 s"
    assert errors == []
    cur = copy.cursor()
    try:
        assert cur.execute("SELECT value FROM settings WHERE key = 'lock_test'").fetchone()[0] == str(rounds - 1)
    finally:
        cur.close()
        copy.close()
        access.close()
