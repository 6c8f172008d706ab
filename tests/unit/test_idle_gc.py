"""components/idle_gc: the collector freezes what survives a full collection, and frees cyclic
garbage among frozen objects at the next refreeze."""

import gc
import threading
import time
import weakref

from components import idle_gc


class Node:
    pass


def test_refreeze_sets_survivors_aside_and_frees_frozen_garbage():
    # An app run in this process (AppTest) has its own collector thread: keep it out meanwhile.
    with idle_gc.FREEZING:
        _survivors_are_set_aside_and_frozen_garbage_waits()


def _survivors_are_set_aside_and_frozen_garbage_waits():
    try:
        gc.unfreeze()
        kept = [Node() for _ in range(1000)]
        idle_gc.refreeze()
        assert gc.get_freeze_count() > 1000
        assert all(gc.is_tracked(node) for node in kept)

        cycle = Node()
        cycle.itself = cycle  # garbage only a cyclic collection frees
        probe = weakref.ref(cycle)
        idle_gc.refreeze()  # now frozen
        del cycle
        gc.collect()
        assert probe() is not None  # frozen objects are not walked …
        idle_gc.refreeze()
        assert probe() is None  # … until the next refreeze unfreezes them first
    finally:
        gc.unfreeze()


def test_the_thread_refreezes_when_the_process_is_quiet(monkeypatch):
    # What the collector thread itself did: an app run in this process (AppTest) has a collector of
    # its own whose refreeze unfreezes first, so the global freeze count alone can read 0 at any moment.
    done = []
    original = idle_gc.refreeze

    def refreeze():
        with idle_gc.FREEZING:
            original()
            done.append((threading.current_thread().name, gc.get_freeze_count()))

    monkeypatch.setattr(idle_gc, "refreeze", refreeze)
    gc.unfreeze()
    stop = threading.Event()
    try:
        thread = idle_gc.start(first=0.05, longest=0.05, quiet=0.05, patience=5, stop=stop)
        deadline = time.monotonic() + 30
        while not done and time.monotonic() < deadline:
            time.sleep(0.1)
        assert thread.is_alive() and thread.daemon
        assert done and done[0][0] == "idle-gc" and done[0][1] > 0
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive()
    finally:
        stop.set()
        gc.unfreeze()
