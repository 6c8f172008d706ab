"""What Streamlit's own commands cost against the protocol floor, without any code of ours: small
scripts that only call Streamlit (six widgets of one kind; six metrics and six captions drawn
directly and replayed from st.cache_data), each timed warm and against the replay of the messages
it sent, alternately, in one process. Writes its section of bench/RESULTS.md.

    .venv/bin/python -m bench.elements      # ≈ 30 s
"""

from __future__ import annotations

import logging
import statistics
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402
from bench.harness import _record_messages, _rerun_fresh, _timed, update_results  # noqa: E402
from bench.run import commit, machine  # noqa: E402

SIX = "import streamlit as st\nfor i in range(6):\n    "
STATIC = (
    "    row = st.columns(3)\n"
    "    for i in range(6):\n"
    "        row[i % 3].metric(f'Показатель {i}', i * 100, delta=i, help='Пояснение', border=True)\n"
    "    for i in range(6):\n"
    "        st.caption(f'Подпись {i}')\n"
)
SCRIPTS = {
    "пустой скрипт": "import streamlit as st\n",
    "6 × st.multiselect": SIX + "st.multiselect(f'Список {i}', ['а', 'б', 'в'], key=f'm{i}', placeholder='все')\n",
    "6 × st.selectbox": SIX + "st.selectbox(f'Выбор {i}', ['а', 'б', 'в'], key=f's{i}')\n",
    "6 × st.text_input": SIX + "st.text_input(f'Поле {i}', key=f't{i}')\n",
    "6 × st.button": SIX + "st.button(f'Кнопка {i}', key=f'b{i}')\n",
    "6 × st.download_button (файл по нажатию)": SIX
    + ("st.download_button(f'Скачать {i}', data=lambda: b'x', file_name='a.csv', on_click='ignore', key=f'd{i}')\n"),
    "6 × st.metric": SIX + "st.metric(f'Показатель {i}', i)\n",
    "6 метрик в 3 столбцах и 6 подписей, напрямую": "import streamlit as st\ndef draw():\n" + STATIC + "draw()\n",
    "то же, повтор из st.cache_data": (
        "import streamlit as st\n@st.cache_data\ndef draw(*, digest):\n" + STATIC + "draw(digest=b'1')\n"
    ),
}


def measure(script: str, repeat: int) -> tuple[float, float, int]:
    """Median warm run of `script` and of the replay of the messages it sent, and their number."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_string(script, default_timeout=60)
    app.run()
    app.run()
    harness.RECORDED[:] = _record_messages(app.run)
    replay = AppTest.from_string(harness.REPLAY_SCRIPT, default_timeout=60)
    replay.run()
    warms, protocols = [], []
    for _ in range(repeat):
        warms.append(_timed(app.run))
        protocols.append(_timed(lambda: _rerun_fresh(replay)))
    elements = sum(1 for message in harness.RECORDED if message.HasField("delta"))
    return statistics.median(warms), statistics.median(protocols), elements


def main() -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    harness._patch_apptest()
    lines = [
        f"## Цена команд Streamlit без нашего кода (bench.elements, коммит {commit()}, {datetime.now():%Y-%m-%d})",
        "",
        f"{machine()}. Скрипты, которые только вызывают Streamlit; тёплый прогон и повтор отправленных им "
        "сообщений (пол протокола) — вперемежку, медиана 60 повторов, миллисекунды.",
        "",
        "| скрипт | элементов | тёплый | пол протокола | тёплый/протокол | мс сверх пола на элемент |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for title, script in SCRIPTS.items():
        warm, protocol, elements = measure(script, 60)
        each = f"{(warm - protocol) * 1000 / elements:.3f}" if elements else "—"
        lines.append(
            f"| {title} | {elements} | {warm * 1000:.2f} | {protocol * 1000:.2f} | {warm / protocol:.2f} | {each} |"
        )
        print(lines[-1], flush=True)
    update_results("elements", "\n".join(lines))
    print(f"Записано в {harness.RESULTS}")


if __name__ == "__main__":
    main()
