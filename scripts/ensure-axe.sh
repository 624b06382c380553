#!/usr/bin/env bash
# Install axe-core (pinned) from npm into .venv/axe for the accessibility test
# (tests/report/test_report_html_a11y.py), when it is missing. Never fails the caller: without
# npm or a reachable registry it prints why and exits 0; the test then skips, or fails under
# CI=true.
set -u
AXE_VERSION=4.10.2
PREFIX="$(dirname "$0")/../.venv/axe"
AXE="$PREFIX/node_modules/axe-core/axe.min.js"

if [ -f "$AXE" ] && grep -q "\"version\": \"$AXE_VERSION\"" "$PREFIX/node_modules/axe-core/package.json"; then
  echo "ensure-axe: axe-core $AXE_VERSION is installed"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "ensure-axe: npm not found; the accessibility test will skip (or fail under CI=true)"
  exit 0
fi
mkdir -p "$PREFIX"
if npm install --silent --no-audit --no-fund --prefix "$PREFIX" "axe-core@$AXE_VERSION" >/dev/null 2>&1 \
  && [ -f "$AXE" ]; then
  echo "ensure-axe: axe-core $AXE_VERSION installed in .venv/axe"
else
  echo "ensure-axe: could not install axe-core from npm; the accessibility test will skip" \
    "(or fail under CI=true)"
fi
exit 0
