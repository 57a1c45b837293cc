#!/usr/bin/env node
/* global process, URL */
// Runs the compiled build in dist/ (`npm run build`). VOR_WATCH_FROM_SOURCE=1 runs the TypeScript
// sources through tsx instead, for development and the tests (README, "Development").
import { existsSync, readFileSync } from 'node:fs';
import { holdStartupSignals } from './startup-signals.js';

// First of all, before loading anything: a signal from now on is an interrupted run, not a silent death.
holdStartupSignals();

let entry;
if (process.env.VOR_WATCH_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  entry = '../src/cli/main.ts';
} else {
  entry = '../dist/src/cli/main.js';
  if (!existsSync(new URL(entry, import.meta.url))) {
    process.stderr.write('vor-watch: the compiled build (dist/) is missing: run `npm run build` first\n');
    process.exit(2);
  }
  // The source maps beside the build point stack traces at the TypeScript; read only when a trace is wanted.
  if (process.env.VOR_DEBUG === '1') process.setSourceMapsEnabled(true);
}
// `vor-watch --version` alone is answered here, as the CLI would (src/cli/main.ts), without loading it.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const { runAsProcess } = await import(entry);
  await runAsProcess();
}
