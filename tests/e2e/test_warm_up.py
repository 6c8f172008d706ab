"""scripts/warm.py: every visitor page of a freshly started instance is run once, before anyone comes."""

import subprocess
import sys
import time
from pathlib import Path

from tests.support import MAIN_SCREENS, ROOT, free_port

sys.path.insert(0, str(ROOT / "scripts"))
import warm


def test_the_warm_up_runs_every_page_of_the_menu(own_app_server):
    assert set(warm.PATHS) == {*MAIN_SCREENS.values(), "freshness", "report"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "warm.py"), own_app_server.url],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    ran = [line.split(":")[0] for line in done.stdout.splitlines()]
    assert ran == [f"/{path}" for path in warm.PATHS]
    # the app's log has no traceback from any of those runs
    assert "Traceback" not in own_app_server.log.read_text()


def test_a_warm_up_that_cannot_reach_the_instance_says_so_and_fails():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "warm.py"), f"http://127.0.0.1:{free_port()}", "--timeout", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("Прогрев не удался:")


def _warm_ups_of(server_pid: int) -> list[str]:
    """The scripts/warm.py processes the app server started (its children)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(status.read_text().rsplit(")", 1)[1].split()[1])
            command = (status.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if parent == server_pid and any(part.endswith(b"scripts/warm.py") for part in command):
            found.append(command[-2].decode())  # the URL it warms
    return found


def test_a_write_in_the_browser_warms_the_instance_again_in_the_background(page, own_app_server):
    from tests.e2e.conftest import create_account, new_material_form, sign_in, wait_for_app

    create_account(own_app_server, "warm-editor", "editor", "Редактор прогрева")
    sign_in(page, own_app_server, "warm-editor", path="calendar")
    form = new_material_form(page, "Прогрев после записи")
    form.get_by_role("button", name="Создать").click()
    wait_for_app(page)
    seen: list[str] = []
    deadline = time.monotonic() + 20
    while not seen and time.monotonic() < deadline:  # it starts two seconds after the write
        seen = _warm_ups_of(own_app_server.process.pid)
        time.sleep(0.05)
    port = own_app_server.url.rsplit(":", 1)[1]
    assert seen == [f"http://127.0.0.1:{port}"]
