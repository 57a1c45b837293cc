/**
 * `vor-watch/smoke`: what a team's own Playwright specs import (README "Checks as code").
 * The same fixtures, page objects and helpers the built-in flows use.
 */
export { test, signedInTest, expect } from './fixtures.js';
export { check, type CustomCheckDeclaration } from './check-declaration.js';
export { expectStep, report } from './outcome.js';
export type { SmokeRun } from './run-config.js';
export type { Finding, Severity } from '../src/core/result.js';
