#!/usr/bin/env bash
# The main job on its embedded defaults: the review service on http://127.0.0.1:8000/, with
# SQLite and uploaded files under ./data (SHENCHA_DATA_DIR).  It prints how to create the
# first province user when there is none (or creates one from SHENCHA_ADMIN_PASSWORD).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/shencha serve "$@"
