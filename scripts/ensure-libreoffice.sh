#!/usr/bin/env bash
# Install Debian's LibreOffice Writer (headless, no GUI) for the office-suite test
# (tests/report/test_report_docx.py: the Word file converted with `soffice --headless`) when it
# is missing. Never fails the caller: without root or a reachable package registry it prints
# why and exits 0; the test then skips, or fails under CI=true.
set -u

if command -v soffice >/dev/null 2>&1; then
  echo "ensure-libreoffice: $(soffice --version 2>/dev/null | head -n 1) is installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "ensure-libreoffice: not installing LibreOffice: not root and no passwordless sudo;" \
      "the office test will skip (or fail under CI=true)"
    exit 0
  fi
else
  SUDO=""
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-libreoffice: not installing LibreOffice: apt-get not found (not Debian/Ubuntu);" \
    "the office test will skip (or fail under CI=true)"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
echo "ensure-libreoffice: installing libreoffice-writer-nogui with apt-get (a minute or two)"
if $SUDO apt-get update -q >"$log" 2>&1 \
  && $SUDO apt-get install -y -q libreoffice-writer-nogui >>"$log" 2>&1 \
  && command -v soffice >/dev/null 2>&1; then
  echo "ensure-libreoffice: $(soffice --version 2>/dev/null | head -n 1) installed"
else
  echo "ensure-libreoffice: could not install LibreOffice (last lines of apt-get below);" \
    "the office test will skip (or fail under CI=true)"
  tail -n 5 "$log" | sed 's/^/  /'
fi
rm -f "$log"
exit 0
