#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/dagster/test_dagster_ui_browser.py)
# when it is missing. Never fails the caller: without root or a reachable package registry it
# prints why and exits 0, and the browser test then skips with its own reason.
set -u

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null | head -n 1) is installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "ensure-chromium: not installing Chromium: not root and no passwordless sudo;" \
      "the browser test will skip"
    exit 0
  fi
else
  SUDO=""
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: not installing Chromium: apt-get not found (not Debian/Ubuntu);" \
    "the browser test will skip"
  exit 0
fi

export CI=true DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
echo "ensure-chromium: installing chromium with apt-get (about a minute)"
if $SUDO apt-get update -q >"$log" 2>&1 \
  && $SUDO apt-get install -y -q chromium >>"$log" 2>&1 \
  && [ -x "$CHROMIUM" ]; then
  echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null | head -n 1) installed"
else
  echo "ensure-chromium: could not install Chromium (last lines of apt-get below);" \
    "the browser test will skip"
  tail -n 5 "$log" | sed 's/^/  /'
fi
rm -f "$log"
exit 0
