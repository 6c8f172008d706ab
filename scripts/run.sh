#!/usr/bin/env bash
# Install (once) and run the dashboard. Without settings it uses the embedded SQLite store and
# fills it with the demo city on first start. Extra arguments go to `streamlit run`.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${VENV:-.venv}"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
stamp="$venv/.runtime-requirements.sha256"
wanted="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | grep -v "is ignored" || true
  echo "$wanted" > "$stamp"
fi
exec "$venv/bin/streamlit" run app.py "$@"
