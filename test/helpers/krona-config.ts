import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { RunningKrona } from '../fixtures/krona/server.js';

export const KRONA_EXAMPLE = fileURLToPath(new URL('../../examples/krona.config.yml', import.meta.url));

/**
 * The committed example profile, with only what a running Krona decided at start-up filled in: its ports
 * (base, API, plain HTTP, health origin) and its CA file. Every other line is the example's, unchanged.
 */
export function kronaConfigFor(krona: RunningKrona, dir: string, targetName = 'staging'): string {
  const config = parse(readFileSync(KRONA_EXAMPLE, 'utf8')) as {
    targets: Record<string, unknown>[];
    app: { api: Record<string, unknown> };
  };
  const target = config.targets.find((t) => t.name === targetName);
  if (target === undefined) throw new Error(`no target ${targetName} in ${KRONA_EXAMPLE}`);
  Object.assign(target, { baseUrl: krona.baseUrl, apiUrl: krona.apiUrl, httpUrl: krona.httpUrl, caFile: krona.caFile });
  config.targets = [target];
  config.app.api.health = krona.healthUrl;
  const file = path.join(dir, 'krona.config.yml');
  writeFileSync(file, stringify(config));
  return file;
}

/** The environment the example profile names: the pre-provisioned user and the test-support token. */
export function kronaEnv(krona: RunningKrona): NodeJS.ProcessEnv {
  return {
    KRONA_TEST_EMAIL: krona.testUser.email,
    KRONA_TEST_PASSWORD: krona.testUser.password,
    KRONA_SUPPORT_TOKEN: krona.supportToken,
  };
}
