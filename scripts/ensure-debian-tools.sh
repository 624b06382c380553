#!/usr/bin/env bash
# Install the Debian tools the browser and office-suite tests drive, when they are missing:
#   chromium                 -> /usr/bin/chromium  (tests/dagster/test_dagster_ui_browser.py,
#                                                   the HTML accessibility tests)
#   libreoffice-writer-nogui -> soffice            (tests/report/test_report_docx.py)
# One apt-get run for whatever is missing. Never fails the caller: without root or a reachable
# package registry it prints why and exits 0; the tests then skip, or fail under CI=true.
set -u

declare -A COMMAND=([chromium]=/usr/bin/chromium [libreoffice-writer-nogui]=soffice)
missing=()
for package in chromium libreoffice-writer-nogui; do
  if command -v "${COMMAND[$package]}" >/dev/null 2>&1; then
    echo "ensure-debian-tools: $("${COMMAND[$package]}" --version 2>/dev/null | head -n 1) is installed"
  else
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

why_not=""
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    why_not="not root and no passwordless sudo"
  fi
fi
command -v apt-get >/dev/null 2>&1 || why_not="apt-get not found (not Debian/Ubuntu)"
if [ -n "$why_not" ]; then
  echo "ensure-debian-tools: not installing ${missing[*]}: $why_not;" \
    "their tests will skip (or fail under CI=true)"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
echo "ensure-debian-tools: installing ${missing[*]} with apt-get (a minute or two)"
$SUDO apt-get update -q >"$log" 2>&1 && $SUDO apt-get install -y -q "${missing[@]}" >>"$log" 2>&1
for package in "${missing[@]}"; do
  if command -v "${COMMAND[$package]}" >/dev/null 2>&1; then
    echo "ensure-debian-tools: $("${COMMAND[$package]}" --version 2>/dev/null | head -n 1) installed"
  else
    echo "ensure-debian-tools: could not install $package (last lines of apt-get below);" \
      "its tests will skip (or fail under CI=true)"
    tail -n 5 "$log" | sed 's/^/  /'
  fi
done
rm -f "$log"
exit 0
