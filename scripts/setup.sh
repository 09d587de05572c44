#!/usr/bin/env bash
# Installs everything Shencha needs on a fresh Debian machine, idempotently:
# Debian packages (LibreOffice for .docx→.pdf in the sample generator and test fixtures,
# CJK fonts so those PDFs carry real Chinese glyphs, poppler for inspecting PDFs, Chromium and
# chromedriver for the browser test of the web page), then a
# virtual environment in .venv with the project and its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES="libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-wqy-microhei poppler-utils chromium chromium-driver"
missing=""
for p in $APT_PACKAGES; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages:$missing" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv" >&2
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q -e '.[test]'
  rm -f .venv/.installed-* && touch "$stamp"
fi
