#!/usr/bin/env bash
# Installs everything Shencha needs on a fresh Debian machine, idempotently:
# Debian packages (LibreOffice for .docx→.pdf in the sample generator and test fixtures,
# CJK fonts so those PDFs carry real Chinese glyphs, poppler for inspecting PDFs, Chromium and
# chromedriver for the browser test of the web page, python3-venv while there is no .venv yet),
# then a virtual environment in .venv with the project and its test extras.
#
# Each step prints a line; apt and pip show their own progress.  When another apt process (the
# machine's unattended upgrades, often, just after boot) holds the package manager's locks, it
# says so and waits for them, up to APT_LOCK_WAIT seconds (default 600), instead of failing.
# Sourcing the file only defines the functions (the tests exercise apt_update with a fake apt-get).
set -euo pipefail

APT_LOCK_WAIT="${APT_LOCK_WAIT:-600}"
APT_LOCK_POLL="${APT_LOCK_POLL:-5}"  # seconds between two looks at a held lists lock
APT_PACKAGES="libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-wqy-microhei poppler-utils chromium chromium-driver"

say() { echo "setup: $*" >&2; }

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
# Every apt-get runs as this: DPkg::Lock::Timeout makes it wait for the dpkg locks (install)
# instead of failing at once when another apt process holds them.
APT_GET=($SUDO apt-get -o "DPkg::Lock::Timeout=$APT_LOCK_WAIT")

# `apt-get update` takes /var/lib/apt/lists/lock, which DPkg::Lock::Timeout does not cover:
# retry while apt-get reports that lock held, saying once that it waits.
apt_update() {
  local waited=0 step log
  log="$(mktemp)"
  while true; do
    if "${APT_GET[@]}" update 2>"$log"; then
      rm -f "$log"
      return 0
    fi
    if ! grep -q "/var/lib/apt/lists/lock" "$log" || [ "$waited" -ge "$APT_LOCK_WAIT" ]; then
      cat "$log" >&2
      rm -f "$log"
      return 1
    fi
    [ "$waited" -gt 0 ] || say "another apt process holds /var/lib/apt/lists/lock; waiting for it (up to ${APT_LOCK_WAIT}s)…"
    sleep "$APT_LOCK_POLL"
    step="${APT_LOCK_POLL%.*}"
    [ "${step:-0}" -gt 0 ] || step=1  # a fraction of a second counts as one
    waited=$((waited + step))
  done
}

install_debian_packages() {
  local wanted="$APT_PACKAGES" missing="" p
  [ -x .venv/bin/python ] || wanted="$wanted python3-venv"
  for p in $wanted; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
  done
  if [ -z "$missing" ]; then
    say "[1/3] Debian packages: already installed"
    return 0
  fi
  say "[1/3] Debian packages:$missing"
  say "      if another apt process is running, this waits for it (up to ${APT_LOCK_WAIT}s)"
  apt_update
  DEBIAN_FRONTEND=noninteractive "${APT_GET[@]}" install -y -q --no-install-recommends $missing
}

create_venv() {
  if [ -x .venv/bin/python ]; then
    say "[2/3] virtual environment .venv: present"
  else
    say "[2/3] creating the virtual environment .venv"
    "${PYTHON:-python3}" -m venv .venv
  fi
}

install_python_packages() {
  local stamp
  stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ -f "$stamp" ]; then
    say "[3/3] Python packages: up to date"
    return 0
  fi
  say "[3/3] installing the Python packages into .venv (minutes the first time; pip shows each one)"
  .venv/bin/python -m pip install --upgrade pip || say "      could not upgrade pip; going on with the one there"
  .venv/bin/python -m pip install -e '.[test]'
  rm -f .venv/.installed-* && touch "$stamp"
  say "      Python packages installed"
}

main() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  install_debian_packages
  create_venv
  install_python_packages
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
