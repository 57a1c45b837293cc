#!/usr/bin/env bash
# Runs every node:test file (unit tests beside their modules, cross-module tests in test/).
# Node 20's --test does not expand globs, so the file lists are built here.
# Two phases on purpose: the files that drive Chromium run one at a time after the others, so that
# browser runs and timing-sensitive tests (load, gate, Prometheus) never compete for this machine's
# two cores; a flow that passes only on retry is a failure in these tests, not noise to tolerate.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find src probes smoke load target test bench scripts -name '*.test.ts' -not -path '*/node_modules/*' 2>/dev/null | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found" >&2; exit 1; fi
browser=()
others=()
for file in "${files[@]}"; do
  if grep -qE "@playwright/test|useBrowserSite|launchTestChromium|runSmoke|'verify'|\['smoke'|from '\.\./smoke/run\.js'" "$file"; then browser+=("$file"); else others+=("$file"); fi
done
# The suite tests the shipped build: the CLI the tests spawn runs dist/, built fresh here
# (test/helpers/cli.ts; a test file run by hand, without VOR_TEST_BUILT, runs the sources instead).
npm run --silent build
export VOR_TEST_BUILT=1
# Each phase's TAP also goes to a file, so that a failure is restated at the very end of the output,
# where a CI log that keeps only its tail still shows it.
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
shown=tap; [ -t 1 ] && shown=spec
tap=(--test-reporter="$shown" --test-reporter-destination=stdout)
status=0
node --import tsx --test --test-concurrency="${VOR_TEST_CONCURRENCY:-2}" "${tap[@]}" --test-reporter=tap --test-reporter-destination="$logs/1.tap" "$@" "${others[@]}" || status=$?
if [ "${#browser[@]}" -gt 0 ]; then
  node --import tsx --test --test-concurrency="${VOR_BROWSER_TEST_CONCURRENCY:-1}" "${tap[@]}" --test-reporter=tap --test-reporter-destination="$logs/2.tap" "$@" "${browser[@]}" || status=$?
fi
if [ "$status" -ne 0 ]; then
  echo "== failing tests (phase 1: all but the Chromium files; phase 2: the Chromium files) =="
  for phase in 1 2; do
    [ -f "$logs/$phase.tap" ] || continue
    # A "not ok" line and its YAML block (error, location, stack), for leaves and their parents alike.
    awk -v phase="$phase" '
      /^ *not ok / { printing = 1; indent = match($0, /[^ ]/); print "phase " phase ": " substr($0, indent); next }
      printing && /^ *\.\.\.$/ { printing = 0; next }
      printing { print "    " $0 }
    ' "$logs/$phase.tap" | head -n 400
  done
  grep -h -E '^# (tests|pass|fail|cancelled) ' "$logs"/*.tap || true
fi
exit "$status"
