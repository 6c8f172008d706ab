"""After a write, open every visitor page of this instance once in the background, so that the next
visitor finds the new data revision's shared reads already computed (scripts/warm.py does it at a
start; this does it after each change of the data).

One warm-up runs at a time: writes made while it runs (an editor saving ten materials in a row)
ask for one more pass after it, not for ten. It starts a moment after the write, so the writer's
own rerun goes first. It warms the instance the write was made on; the others see the new revision
within reads.cache.REVISION_TTL_SECONDS and compute their reads at their next visitor. AppTest has no
server to visit (no request headers): nothing is started there.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import streamlit as st

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "warm.py"
DELAY_SECONDS = 2.0
_lock = threading.Lock()
_state = {"running": False, "again": False}


def after_write() -> None:
    """Ask for a warm-up of this instance (from a script run, after a write went through)."""
    if not st.context.headers:  # AppTest: no server behind this session
        return
    with _lock:
        if _state["running"]:
            _state["again"] = True
            return
        _state["running"] = True
    threading.Thread(target=_warm, args=(instance_url(),), name="warm-after-write", daemon=True).start()


def instance_url() -> str:
    """This instance's own address, as scripts/warm.py reaches it from the same machine."""
    address = st.get_option("server.address") or "127.0.0.1"
    host = "127.0.0.1" if address in ("0.0.0.0", "::", "localhost") else address
    host = f"[{host}]" if ":" in host else host
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"http://{host}:{st.get_option('server.port')}" + (f"/{base}" if base else "")


def _warm(url: str) -> None:
    while True:
        time.sleep(DELAY_SECONDS)
        try:
            subprocess.run(
                [sys.executable, str(SCRIPT), url],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
                timeout=600,
            )
        except (OSError, subprocess.TimeoutExpired):
            pass  # a warm-up is a convenience: the next visitor computes what it did not
        with _lock:
            if not _state["again"]:
                _state["running"] = False
                return
            _state["again"] = False
