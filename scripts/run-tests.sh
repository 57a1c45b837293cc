#!/usr/bin/env bash
# Runs every node:test file (unit tests beside their modules, cross-module tests in test/).
# Node 20's --test does not expand globs, so the file list is built here.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find src probes smoke load target test bench scripts -name '*.test.ts' -not -path '*/node_modules/*' 2>/dev/null | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found" >&2; exit 1; fi
exec node --import tsx --test --test-concurrency="${VOR_TEST_CONCURRENCY:-2}" "$@" "${files[@]}"
