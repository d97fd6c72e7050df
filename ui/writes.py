"""A recorded correction started from a page (英模档案, 名录): run it as the current user, then either show the
refusal in Chinese, or clear the caches, keep a message for the next run and rerun."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from analytics.corrections import CorrectionError
from ui import auth, db
from ui.text import plain


def write(fn, *args, success: str, flash_key: str, unchanged: str, undo_hint: str = "",
          on_success: Callable[[], None] | None = None, **kwargs) -> CorrectionError | None:
    """fn(connection, *args, actor=…, role=…, **kwargs) → a result with change_id (None: nothing changed) and
    warnings. The message names the change's 操作编号 (plus `undo_hint`) so it can be found and undone.

    A refusal is shown in Chinese and returned (what the user typed stays in the form); after a write,
    `on_success()` runs and the page reruns."""
    actor, role = auth.user().username, auth.user().role
    try:
        result = fn(db.connection(), *args, actor=actor, role=role, **kwargs)
    except CorrectionError as exc:
        st.error(plain(exc.message))
        return exc
    db.after_write()
    if on_success is not None:
        on_success()
    change_id = getattr(result, "change_id", None)
    if hasattr(result, "change_id") and change_id is None:
        st.session_state[flash_key] = ("info", unchanged)
    else:
        text = success + (f"（操作编号 {change_id}{undo_hint}）" if change_id is not None else "")
        if getattr(result, "warnings", None):
            text += "。请注意：" + "；".join(plain(w) for w in result.warnings)
        st.session_state[flash_key] = ("success", text)
    st.rerun()


def show_flash(flash_key: str) -> None:
    """The message a write left for this run, once."""
    item = st.session_state.pop(flash_key, None)
    if item:
        getattr(st, item[0])(item[1])
