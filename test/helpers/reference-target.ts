import { buildTarget, type Target } from '../../src/core/target.js';
import type { TargetConfig } from '../../src/config/schema.js';
import type { RunningTarget } from '../../target/server.js';

/** The running reference target as vor-watch's staging target, with its test user; `overrides` replace fields. */
export function referenceTarget(running: RunningTarget, overrides: Partial<TargetConfig> = {}): Target {
  return buildTarget(
    {
      baseUrl: running.baseUrl,
      httpUrl: running.httpUrl,
      caFile: running.caFile,
      environment: 'staging',
      publicApiPaths: [],
      routes: [],
      ...overrides,
    },
    running.testUser,
  );
}
