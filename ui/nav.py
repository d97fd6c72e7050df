"""The pages, in their navigation groups. Each entry: (file, Chinese title, icon, minimum role).

Roles: viewer (查看) < editor (录入) < admin (管理). Add a page by adding one line here.
"""
from __future__ import annotations

SECTIONS: dict[str, list[tuple[str, str, str, str]]] = {
    "看板": [
        ("pages/overview.py", "总览", ":material/dashboard:", "viewer"),
    ],
    "数据": [],
    "发布": [],
}
