#!/usr/bin/env bash
# Runs every check: the type check, Biome, the TypeScript unit tests, the training toolchain's
# pytest suite, then the real-browser tests in Debian's Chromium. Each one runs even when an
# earlier one failed, and the script fails if any did.
set -u
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import torch, numpy, pytest, yaml' 2>/dev/null || missing+=(python3-torch)
[ -d node_modules ] || missing+=(node_modules)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Missing test prerequisites: ${missing[*]}."
  echo "Install them with: sudo bash scripts/install-debian-deps.sh && npm ci"
  exit 1
fi

status=0
run() {
  echo "::: $*"
  "$@" || status=1
}

run npx tsc --noEmit -p tsconfig.json
run npx biome check src tests scripts
run npx vitest run --project unit
run /usr/bin/python3 -m pytest -q training/tests
run npx vitest run --project browser

if [ "$status" -ne 0 ]; then
  echo "Some test suites failed; see the output above."
fi
exit "$status"
