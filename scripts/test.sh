#!/usr/bin/env bash
# Run every test: ruff (lint and format), mypy, the assets' linters (JavaScript, CSS), then pytest (unit on SQLite and PostgreSQL, AppTest, real Chromium).
#
#   ./scripts/test.sh              locally: missing Chromium/PostgreSQL are installed if we are root,
#                                  otherwise their tests are skipped with a reason
#   ./scripts/test.sh --ci         CI (.ci/run): anything missing is a failure, never a skip
#   ./scripts/test.sh -k overview  extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

strict=0
if [[ "${1:-}" == "--ci" ]]; then
  strict=1
  shift
fi

venv="${VENV:-.venv}"
if [[ ! -x "$venv/bin/python" ]]; then
  echo "==> creating $venv"
  python3 -m venv "$venv"
fi
stamp="$venv/.requirements.sha256"
wanted="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
  echo "==> installing Python requirements"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r requirements-dev.txt 2>&1 \
    | grep -v "is ignored" || true
  "$venv/bin/python" -c "import streamlit, pytest, playwright" # fail here if the install failed
  echo "$wanted" > "$stamp"
fi

# System packages the tests drive: Debian's Chromium (browser tests), a PostgreSQL server
# (the PostgreSQL half of the data tests), fonts with Cyrillic (screenshots, PDF posters).
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" > /dev/null || missing+=(postgresql)
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || missing+=(fonts-dejavu-core)
compgen -G "/usr/lib/*/libcairo.so.2" > /dev/null || missing+=(libcairo2)  # cairosvg renders SVG codes in tests
# The commission report: poppler reads the PDF back (text, pages as images); LibreOffice opens the DOCX.
command -v pdftotext > /dev/null || missing+=(poppler-utils)
command -v soffice > /dev/null || missing+=(libreoffice-writer)
# Several instances behind a real proxy (scripts/serve.sh, tests/e2e/test_proxy_browser.py).
[[ -x /usr/sbin/nginx ]] || missing+=(nginx)
# The linters of components/assets/*.js and *.css (scripts/lint_assets.sh) run on Node.js.
command -v npm > /dev/null || missing+=(npm)
if ((${#missing[@]})); then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get > /dev/null; then
    echo "==> installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q > /dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" > /dev/null
  elif ((strict)); then
    echo "error: missing system packages: ${missing[*]} (need root and apt-get to install them)" >&2
    exit 1
  else
    echo "warning: missing ${missing[*]}: their tests will be skipped" >&2
  fi
fi

echo "==> ruff"
"$venv/bin/ruff" check .
"$venv/bin/ruff" format --check .  # the one code style (pyproject.toml: 120 columns); `ruff format .` applies it

echo "==> mypy (data_access, components)"
"$venv/bin/mypy"

echo "==> JavaScript and CSS (components/assets)"
./scripts/lint_assets.sh

echo "==> pytest"
set +e
# Two workers (pytest-xdist), a test file per worker at a time: each worker starts its own
# PostgreSQL cluster and app servers, so nothing is shared between them. Chromium's screenshot of a
# failed browser test is kept in test-results/.
GOSPUBLIKI_TEST_STRICT="$strict" "$venv/bin/python" -m pytest -n "${TEST_WORKERS:-2}" --dist loadfile \
  --screenshot only-on-failure --output test-results "$@"
status=$?
set -e
if ((status == 5)); then
  # pytest's "no tests collected": a run that tested nothing has not passed.
  echo "error: pytest collected no tests (check the arguments: $*)" >&2
  exit 1
fi
exit "$status"
