"""Open every main page of a freshly started instance once, as a visitor's browser would, so that
the first person after a start or restart does not wait for the shared reads (the store's figures,
summaries, map and plan, computed once per process and data revision) — nor for the imports and
the engine behind them.

    python scripts/warm.py http://127.0.0.1:8501

It speaks Streamlit's own WebSocket protocol (a BackMsg asking for a run of a page, ForwardMsgs
until the run is over), so no browser is needed on a server. scripts/serve.sh and the systemd
unit run it after an instance answers its health check. Pages that need a sign-in
(read_requires_login) are warmed only as far as an anonymous visitor gets.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import urllib.request

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

# The URL paths of the visitor's pages (app.py's menu); «Сводка» (the front page) first, as most
# people arrive there.
PATHS = ["", "targets", "map", "verification", "freshness", "report", "calendar", "qr"]


async def visit(base_url: str, path: str, timeout: float) -> float:
    """Run the page at `path` in a session of its own; the seconds until the run ended."""
    stream = base_url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    started = time.perf_counter()
    async with connect(stream, subprotocols=["streamlit"], max_size=None, open_timeout=timeout) as socket:
        request = BackMsg()
        request.rerun_script.query_string = ""
        request.rerun_script.page_name = path
        await socket.send(request.SerializeToString())
        while True:
            payload = await asyncio.wait_for(socket.recv(), timeout)
            message = ForwardMsg()
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "delta" and message.delta.new_element.WhichOneof("type") == "exception":
                raise PageError(f"/{path}: {message.delta.new_element.exception.message}")
            if message.WhichOneof("type") == "script_finished":
                return time.perf_counter() - started


class PageError(Exception):
    """A page's run ended in an exception (the message is Streamlit's own)."""


def wait_until_healthy(base_url: str, timeout: float) -> None:
    """Wait for the instance's health check (a systemd unit runs this right after the start)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base_url.rstrip("/") + "/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise TimeoutError(f"{base_url} не ответил «ok» на проверку /_stcore/health за {timeout:.0f} с")
        time.sleep(0.5)


async def warm(base_url: str, paths: list[str], timeout: float) -> None:
    for path in paths:
        seconds = await visit(base_url, path, timeout)
        print(f"/{path}: {seconds:.1f} с", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", help="адрес экземпляра, например http://127.0.0.1:8501")
    parser.add_argument("--timeout", type=float, default=120, help="секунд на одну страницу")
    arguments = parser.parse_args()
    try:
        wait_until_healthy(arguments.url, arguments.timeout)
        asyncio.run(warm(arguments.url, PATHS, arguments.timeout))
    except (TimeoutError, OSError, ConnectionClosed, PageError) as error:
        print(f"Прогрев не удался: {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
