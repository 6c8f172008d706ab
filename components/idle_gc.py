"""Keep Python's full garbage collections short: what has lived a while is set aside (gc.freeze).

The app runs with `runner.postScriptGC = false` (.streamlit/config.toml): a full collection after
every script run walked the whole heap under the GIL, ≈150 ms per run. Python still collects by
itself, and a full collection walks every object the process holds — modules, cached frames,
sessions — ≈250–300 ms on the demo city after a minute of load, a pause inside whichever page run
is going. Measured on the planning meeting (bench.proxy), every run slower than 300 ms coincided
with one. Here a thread does one full collection, preferably at a nearly idle moment, and freezes
what survives; Python's own collections then walk only what was allocated since (13–60 ms
measured). It refreezes ever less often (10 s after start, doubling to ten minutes), and each
refreeze first unfreezes, so cyclic garbage among frozen objects waits at most that long.
"""

from __future__ import annotations

import gc
import threading
import time

import streamlit as st

FIRST_SECONDS = 10.0  # the first freeze: once the process has started and served a page or two
LONGEST_SECONDS = 600.0  # then ever less often, down to once in ten minutes
QUIET_SECONDS = 0.2  # the window that must be idle …
QUIET_SHARE = 0.05  # … using less than this share of one core
PATIENCE_SECONDS = 3.0  # a busy process is refrozen anyway: the walk costs what Python's own would
# Held while refreezing; a test holds it to keep the collector thread away from the heap it inspects.
FREEZING = threading.RLock()


def _wait_for_quiet(quiet: float, patience: float) -> None:
    """Until the process has been nearly idle for `quiet` seconds, or `patience` has passed."""
    until = time.monotonic() + patience
    before = time.process_time()
    while time.monotonic() < until:
        time.sleep(quiet)
        now = time.process_time()
        if now - before < quiet * QUIET_SHARE:
            return
        before = now


def refreeze() -> None:
    """One full collection of everything, then what survives is set aside (gc.freeze): Python's
    own collections from now on walk only what was allocated since."""
    with FREEZING:
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def _freeze_when_idle(first: float, longest: float, quiet: float, patience: float, stop: threading.Event) -> None:
    pause = first
    while not stop.wait(pause):
        _wait_for_quiet(quiet, patience)
        refreeze()
        pause = min(pause * 2, longest)


def start(
    first: float = FIRST_SECONDS,
    longest: float = LONGEST_SECONDS,
    quiet: float = QUIET_SECONDS,
    patience: float = PATIENCE_SECONDS,
    stop: threading.Event | None = None,
) -> threading.Thread:
    """Start the collector (a daemon thread, until `stop` is set); call once per process."""
    thread = threading.Thread(
        target=_freeze_when_idle,
        args=(first, longest, quiet, patience, stop or threading.Event()),
        name="idle-gc",
        daemon=True,
    )
    thread.start()
    return thread


@st.cache_resource(show_spinner=False)
def running() -> threading.Thread:
    """The process's idle collector, started by the first page run (app.py)."""
    return start()
