#!/usr/bin/env bash
# The main job on its embedded defaults: the review service on http://127.0.0.1:8000/, with
# SQLite and uploaded files in the checkout's data/ (SHENCHA_DATA_DIR to change it).
#
#   ./scripts/serve.sh [--host 127.0.0.1] [--port 8000]   install what is missing, then serve
#   ./scripts/serve.sh --first-run-message                only print what a first start prints
#
# First it installs what is missing (scripts/setup.sh; SHENCHA_SKIP_SETUP=1 skips that step on a
# machine already set up).  On start the server prints its data dir and, while accounts are
# missing, the first-run message: the exact commands that create a province account and an
# uploading (agency or city) account, and the password rules.  With SHENCHA_ADMIN_PASSWORD set,
# the province account is created from it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SHENCHA_SKIP_SETUP:-}" != 1 ]; then
  ./scripts/setup.sh
fi
exec .venv/bin/shencha serve "$@"
