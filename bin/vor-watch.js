#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so a fresh clone needs no build step.
import { holdStartupSignals } from './startup-signals.js';

// First of all, before the seconds of loading: a signal from now on is an interrupted run, not a silent death.
holdStartupSignals();
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/main.ts');
