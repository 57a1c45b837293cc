import { chmod, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { request } from '@playwright/test';
import type { Credentials } from '../../src/core/target.js';
import { readSmokeRun } from '../run-config.js';
import { AppApi } from './api.js';

/** The configured test user, from the environment only (never from a file). */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials | undefined {
  const email = env.VOR_TEST_USER_EMAIL;
  const password = env.VOR_TEST_USER_PASSWORD;
  return email && password ? { email, password } : undefined;
}

/**
 * Global setup: the test user signs in once for the whole run, and every worker's signed-in tests
 * start from that storage state. It never fails the run: when the sign-in fails there is no file,
 * and the first test that needs a session signs in itself and fails saying why (smoke/fixtures.ts).
 */
export default async function signInTestUserOnce(): Promise<void> {
  const run = readSmokeRun(process.env);
  // A file left by an earlier run by hand must never stand in for this run's sign-in.
  await rm(run.authFile, { force: true });
  const user = credentialsFromEnv(process.env);
  if (user === undefined) return;
  const context = await request.newContext({ baseURL: run.baseUrl, ignoreHTTPSErrors: run.ignoreHttpsErrors });
  try {
    const response = await AppApi.over(context, run).login(user);
    if (response.status() < 400) await saveSession(context, run.authFile);
  } catch {
    // Unreachable or refused: the tests that need a session report it.
  } finally {
    await context.dispose();
  }
}

/** The file holds a live session cookie: private (0600), in a folder runSmoke deletes afterwards. */
export async function saveSession(context: { storageState(options: { path: string }): Promise<unknown> }, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await context.storageState({ path: file });
  await chmod(file, 0o600);
}
