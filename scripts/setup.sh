#!/usr/bin/env bash
# Installs what vor-watch and its tests need on a fresh Debian/Ubuntu machine: npm packages, the build,
# and from Debian: Chromium and its headless shell (unless Playwright's own browser is installed), Prometheus + promtool,
# Alertmanager, blackbox_exporter, nginx and wrk (tests and benchmarks). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

want=()
playwright_browser=$(ls -d "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-* 2>/dev/null | head -1 || true)
if [ -z "$playwright_browser" ]; then
  # The headless shell runs the suite (a third of the full browser's CPU); chromium stays for anyone who wants a window.
  command -v chromium-headless-shell >/dev/null 2>&1 || want+=(chromium-headless-shell)
  command -v chromium >/dev/null 2>&1 || want+=(chromium)
fi
if [ "${VOR_SETUP_MINIMAL:-0}" != "1" ]; then
  command -v prometheus >/dev/null 2>&1 || want+=(prometheus)
  command -v promtool >/dev/null 2>&1 || want+=(prometheus)
  command -v prometheus-alertmanager >/dev/null 2>&1 || want+=(prometheus-alertmanager)
  command -v amtool >/dev/null 2>&1 || want+=(prometheus-alertmanager)
  command -v prometheus-blackbox-exporter >/dev/null 2>&1 || want+=(prometheus-blackbox-exporter)
  command -v nginx >/dev/null 2>&1 || want+=(nginx-light)
  command -v wrk >/dev/null 2>&1 || want+=(wrk)
fi

if [ "${#want[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "vor-watch setup: please install: ${want[*]} (no apt-get here)." >&2
    echo "  For the browser alone you may instead run: npx playwright install chromium" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # Debian's prometheus packages start services on install; the project runs its own instances on
  # free loopback ports, so the system ones are stopped again where systemd is present.
  $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
  for service in prometheus prometheus-alertmanager prometheus-blackbox-exporter nginx; do
    $sudo systemctl stop "$service" >/dev/null 2>&1 || $sudo service "$service" stop >/dev/null 2>&1 || true
  done
fi
# bin/vor-watch.js runs the compiled JavaScript in dist/.
npm run --silent build
echo "vor-watch setup: ready"
