#!/usr/bin/env bash
# The whole test suite (SHENCHA_SKIP_SETUP=1 skips the install step on a machine already set up).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SHENCHA_SKIP_SETUP:-}" != 1 ]; then
  ./scripts/setup.sh
fi
exec .venv/bin/python -m pytest "$@"
