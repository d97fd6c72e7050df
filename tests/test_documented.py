"""Every command, option, setting and make target a user or an administrator can use is documented in README.md:
adding one without a line in the README fails here."""
from __future__ import annotations

import argparse
import re

from analytics.cli import build_parser
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SOURCES = [ROOT / "app.py", ROOT / "Makefile", *(ROOT / "analytics").rglob("*.py"), *(ROOT / "ui").rglob("*.py"),
           *(ROOT / "pages").glob("*.py"), *(ROOT / "scripts").glob("*.py")]


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001
    return dict(sub.choices)


def test_every_command_is_documented():
    commands = _subcommands()
    assert {"stats", "import", "press", "briefing", "backup", "restore", "copy", "init"} <= set(commands)
    missing = [name for name in commands if f"`{name}" not in README]
    assert missing == [], f"README 未说明这些命令：{missing}"


def test_every_option_is_documented():
    missing = []
    for name, sub in _subcommands().items():
        for action in sub._actions:                      # noqa: SLF001
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help" and opt not in README:
                    missing.append(f"{name} {opt}")
    assert missing == [], f"README 未说明这些选项：{missing}"


def test_every_setting_is_documented():
    used = set()
    for path in SOURCES:
        used |= set(re.findall(r"\bYIYONG_[A-Z0-9_]+\b", path.read_text(encoding="utf-8")))
    assert {"YIYONG_DB", "YIYONG_SESSION_IDLE_MINUTES", "YIYONG_BACKUP_TIME", "YIYONG_RESTORE_MAX_MB"} <= used
    missing = sorted(v for v in used if v not in README)
    assert missing == [], f"README 未说明这些环境变量：{missing}"


def test_every_make_target_is_documented():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    (phony,) = re.findall(r"^\.PHONY:(.*)$", makefile, re.M)
    targets = [t for t in phony.split() if t not in ("venv",)]
    assert {"run", "test", "bench", "mutants"} <= set(targets)
    missing = [t for t in targets if f"make {t}" not in README]
    assert missing == [], f"README 未说明这些 make 目标：{missing}"
