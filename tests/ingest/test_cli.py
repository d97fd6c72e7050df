"""The command-line contract: names, options, exit codes, JSON keys; atomicity under SIGKILL."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from analytics import store
from tests.ingest import builders as b

ROOT = Path(__file__).resolve().parents[2]
ROWS = [b.REG_HEADERS] + b.registry_rows(4)


def cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def heroes(db):
    con = store.connect(db)
    try:
        return con.execute("SELECT count(*) FROM heroes").fetchone()[0]
    finally:
        con.close()


def test_import_json_contract_idempotent_history_undo(tmp_db, tmp_path):
    f = tmp_path / "登记表.xlsx"
    f.write_bytes(b.xlsx({"登记表": [["聊城市见义勇为人员登记表"], *ROWS]}))
    p = cli("import", f, "--db", tmp_db, "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert set(out) == {"committed", "batch_id", "files"} and out["committed"] is True
    assert isinstance(out["batch_id"], str)
    [fr] = out["files"]
    assert fr["file"] == "登记表.xlsx"
    [s] = fr["sheets"]
    assert set(s) == {"sheet", "kind", "header_row", "rows", "new", "updated", "unchanged", "rejected", "problems",
                      "warnings", "notes"}
    assert (s["kind"], s["header_row"], s["rows"], s["new"]) == ("registry", 2, 4, 4)
    g = tmp_path / "登记表.csv"
    g.write_bytes(b.csv_bytes(ROWS, "gbk"))
    out2 = json.loads(cli("import", g, "--db", tmp_db, "--json").stdout)
    assert out2["files"][0]["sheets"][0]["unchanged"] == 4 and heroes(tmp_db) == 4
    h = cli("history", "--db", tmp_db)
    assert h.returncode == 0 and f"批次 {out['batch_id']}" in h.stdout and "登记表.xlsx" in h.stdout
    u = cli("undo", out["batch_id"], "--db", tmp_db)
    assert u.returncode == 0, u.stderr
    assert heroes(tmp_db) == 0
    again = cli("undo", out["batch_id"], "--db", tmp_db)
    assert again.returncode == 2 and "撤销" in again.stderr


def test_exit_1_on_row_errors_and_accept_valid(tmp_db, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][4] = "济南市"
    f = tmp_path / "bad.xlsx"
    f.write_bytes(b.xlsx({"S": rows}))
    p = cli("import", f, "--db", tmp_db, "--json")
    assert p.returncode == 1
    out = json.loads(p.stdout)
    assert out["committed"] is False and out["batch_id"] is None
    [prob] = out["files"][0]["sheets"][0]["problems"]
    assert prob == {"row": 3, "column": "户籍所在地", "value": "济南市", "severity": "error",
                    "message": "“济南市”不是聊城市的县市区"}
    assert heroes(tmp_db) == 0
    d = cli("import", f, "--db", tmp_db, "--dry-run", "--accept-valid")
    assert d.returncode == 0 and heroes(tmp_db) == 0
    a = cli("import", f, "--db", tmp_db, "--accept-valid", "--json")
    assert a.returncode == 0 and json.loads(a.stdout)["committed"] is True and heroes(tmp_db) == 3


def test_exit_2_bad_file_commits_nothing_from_any_file(tmp_db, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(b.xlsx({"S": ROWS}))
    for name, data, word in (("secret.xlsx", b.encrypted_workbook(), "密码"), ("empty.csv", b"", "空文件"),
                             ("bomb.xlsx", b.zip_bomb(), "膨胀"), ("cut.xlsx", b.xlsx({"S": ROWS})[:500], "损坏"),
                             ("notes.xlsx", b.xlsx({"说明": [["说明文字"]]}), "没有可识别")):
        bad = tmp_path / name
        bad.write_bytes(data)
        p = cli("import", good, bad, "--db", tmp_db)
        assert p.returncode == 2, (name, p.stderr)
        lines = [l for l in p.stderr.splitlines() if l.strip()]
        assert len(lines) == 1 and word in lines[0] and "Traceback" not in p.stderr
        assert heroes(tmp_db) == 0
    p = cli("import", tmp_path / "missing.xlsx", "--db", tmp_db)
    assert p.returncode == 2 and "无法读取" in p.stderr


def test_sigkill_mid_commit_leaves_database_as_it_was(tmp_db, tmp_path):
    f = tmp_path / "v1.xlsx"
    f.write_bytes(b.xlsx({"S": ROWS}))
    assert cli("import", f, "--db", tmp_db).returncode == 0
    con = store.connect(tmp_db)
    before = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("heroes", "recognitions", "changes", "audit_log", "import_files")]
    con.close()
    rows = [list(r) for r in ROWS] + b.registry_rows(30)[10:]
    rows[1][6] = "13999999999"
    g = tmp_path / "v2.xlsx"
    g.write_bytes(b.xlsx({"S": rows}))
    flag = tmp_path / "writing.flag"
    proc = subprocess.Popen([sys.executable, "-m", "analytics", "import", str(g), "--db", str(tmp_db)], cwd=ROOT,
                            env={**os.environ, "YIYONG_IMPORT_TEST_PAUSE": str(flag)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while not flag.exists():
            assert proc.poll() is None and time.time() < deadline
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    con = store.connect(tmp_db)
    after = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
             for t in ("heroes", "recognitions", "changes", "audit_log", "import_files")]
    phone = con.execute("SELECT phone FROM heroes WHERE name = '测试零'").fetchone()[0]
    con.close()
    assert after == before and phone == ROWS[1][6]
