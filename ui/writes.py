"""Running a write from a page: as the logged-in user, showing a refusal's Chinese sentence, clearing caches."""
from __future__ import annotations

import streamlit as st

from analytics.corrections import CorrectionError
from ui import auth, db

_UNSET = object()


def run(fn, *args, **kwargs):
    """`fn(connection, *args, actor=…, role=…, **kwargs)`; on refusal show why and return _UNSET
    (test with `failed(result)`); on success clear the caches and return fn's result."""
    actor, role = auth.who()
    try:
        result = fn(db.connection(), *args, actor=actor, role=role, **kwargs)
    except CorrectionError as exc:
        st.error(exc.message)
        return _UNSET
    db.after_write()
    return result


def failed(result) -> bool:
    return result is _UNSET
