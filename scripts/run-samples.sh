#!/usr/bin/env bash
# The main job on its embedded defaults: check every bundled sample package and write
# each report (JSON + HTML) to ./reports, printing recall and false alarms.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/shencha samples --out reports "$@"
