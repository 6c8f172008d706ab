"""scripts/warm.py: every visitor page of a freshly started instance is run once, before anyone comes."""

import subprocess
import sys

from tests.support import MAIN_SCREENS, ROOT, free_port

sys.path.insert(0, str(ROOT / "scripts"))
import warm  # noqa: E402


def test_the_warm_up_runs_every_page_of_the_menu(own_app_server):
    assert set(warm.PATHS) == {*MAIN_SCREENS.values(), "freshness", "report"}
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "warm.py"), own_app_server.url],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    ran = [line.split(":")[0] for line in done.stdout.splitlines()]
    assert ran == [f"/{path}" for path in warm.PATHS]
    # the app's log has no traceback from any of those runs
    assert "Traceback" not in own_app_server.log.read_text()


def test_a_warm_up_that_cannot_reach_the_instance_says_so_and_fails():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "warm.py"), f"http://127.0.0.1:{free_port()}",
                           "--timeout", "1"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("Прогрев не удался:")
