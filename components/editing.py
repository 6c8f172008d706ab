"""Editing helpers shared by pages: the version a person started from, and write errors shown in Russian.

Streamlit reruns the whole script before it handles a form's submit button, so a page that
re-read a record's version on that rerun would always save "over" the newest version and never
notice a colleague's change. The version is therefore held in the session from the moment the
record is shown for editing until it is saved or deliberately reloaded.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import pandas as pd
import streamlit as st

from components import reads, warm_up
from components.formatting import markdown_text
from data_access import clock
from data_access.writes import PermissionDenied, StaleRecord, ValidationFailed


def held_version(key: str, record_id: Hashable, current_version: int | None) -> int | None:
    """The version of `record_id` this session started editing from."""
    state_key = f"held_{key}"
    held = st.session_state.get(state_key)
    if held is None or held[0] != record_id:
        st.session_state[state_key] = (record_id, current_version)
        return current_version
    return held[1]


def release(key: str) -> None:
    """Forget the held version: the next run starts from the record as it is now."""
    st.session_state.pop(f"held_{key}", None)


def attempt(action: Callable[[], object], reload_key: str | None = None) -> bool:
    """Run a write; True when it went through. Refusals become messages on the page (a conflict
    also offers to reload the record); nothing was saved in any of those cases."""
    try:
        action()
    except ValidationFailed as error:
        st.error(
            "Не сохранено:\n\n" + "\n".join(f"- {markdown_text(problem)}" for problem in error.problems),
            icon=":material/error:",
        )
        return False
    except StaleRecord as error:
        st.error(f"Не сохранено. {markdown_text(str(error))}.", icon=":material/sync_problem:")
        if reload_key:
            st.button(
                "Обновить данные",
                key=f"reload_{reload_key}",
                on_click=release,
                args=(reload_key,),
                icon=":material/refresh:",
            )
        return False
    except PermissionDenied as error:
        st.error(markdown_text(str(error)), icon=":material/block:")
        return False
    # The write raised the data revisions; forget the briefly cached ones so that this very
    # session reads fresh data on its next run.
    reads.cache.forget_revisions()
    warm_up.after_write()  # the next visitor finds the new revision's reads computed
    return True


def generation(key: str) -> int:
    """The counter in a form's or an editor's widget key: raising it (save's `reset`) starts the
    form afresh after a save."""
    return st.session_state.get(key, 0)


def save(
    write: Callable[[], object],
    done: str | Callable[[object], str],
    *,
    held: str | None = None,
    release_keys: tuple[str, ...] = (),
    reset: str | None = None,
) -> None:
    """Run a write through attempt(). `held` is the key of the version the edit started from: a
    conflict offers to reload it, a save forgets it. When the write went through: forget also the
    held versions `release_keys`, start the form or editor counted by `reset` afresh, say `done`
    (or `done(what the write returned)`) after the rerun, and rerun. When it was refused, the
    message stays on the page and nothing else changes."""
    result: list[object] = []
    if attempt(lambda: result.append(write()), held):
        for key in (held, *release_keys) if held else release_keys:
            release(key)
        if reset:
            st.session_state[reset] = generation(reset) + 1
        flash(done(result[0]) if callable(done) else done)
        st.rerun()


def flash(message: str) -> None:
    """A success message that survives the st.rerun() after a save."""
    st.session_state["editing_flash"] = message


def show_flash() -> None:
    message = st.session_state.pop("editing_flash", None)
    if message:
        # Messages carry titles and names people typed: shown literally, never as Markdown.
        st.success(markdown_text(message), icon=":material/check_circle:")


def held_snapshot(key: str, signature: Hashable, load: Callable[[], pd.DataFrame]) -> tuple[pd.DataFrame, str]:
    """A table this session edits from, with the versions it showed: loaded once per
    `signature` (e.g. the filters) and kept until release(key). Returns it and the time it
    was read («14:05»)."""
    state_key = f"held_{key}"
    held = st.session_state.get(state_key)
    if held is None or held[0] != signature:
        held = (signature, load(), clock.now().strftime("%H:%M"))
        st.session_state[state_key] = held
    return held[1], held[2]
