#!/usr/bin/env bash
# Lint the JavaScript and CSS of components/assets: Prettier (the one format, 120 columns), ESLint
# (recommended rules, browser ES modules) and Stylelint (standard config). The tools' versions are
# locked in scripts/assets-lint/package-lock.json; `npm ci` installs them there on first use.
#
#   ./scripts/lint_assets.sh         check (scripts/test.sh runs this)
#   ./scripts/lint_assets.sh --fix   apply Prettier's format and the linters' fixes
set -euo pipefail
cd "$(dirname "$0")/.."

tools=scripts/assets-lint
stamp="$tools/node_modules/.package-lock.sha256"
wanted="$(sha256sum "$tools/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
  echo "==> installing the asset linters (npm ci)"
  npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error > /dev/null
  echo "$wanted" > "$stamp"
fi
bin="$tools/node_modules/.bin"
scripts=(components/assets/*.js)
sheets=(components/assets/*.css)
if [[ "${1:-}" == "--fix" ]]; then
  "$bin/prettier" --config "$tools/.prettierrc.json" --log-level warn --write "${scripts[@]}" "${sheets[@]}"
  "$bin/stylelint" --config "$tools/stylelint.config.mjs" --fix "${sheets[@]}"
  "$bin/eslint" --config "$tools/eslint.config.mjs" --fix "${scripts[@]}"
else
  "$bin/prettier" --config "$tools/.prettierrc.json" --log-level warn --check "${scripts[@]}" "${sheets[@]}"
  "$bin/stylelint" --config "$tools/stylelint.config.mjs" "${sheets[@]}"
  "$bin/eslint" --config "$tools/eslint.config.mjs" "${scripts[@]}"
fi
