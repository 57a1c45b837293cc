import type { RunningTarget } from '../../target/server.js';

/** The vor-watch flags that point a command at a running reference target (staging, so load is allowed). */
export const targetFlags = (running: Pick<RunningTarget, 'baseUrl' | 'httpUrl' | 'caFile'>): string[] => [
  '--target',
  running.baseUrl,
  '--http',
  running.httpUrl,
  '--ca',
  running.caFile,
  '--environment',
  'staging',
];
