/** `vor-watch target`: runs the reference target until SIGINT/SIGTERM and tells clients how to use it. */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { vorCacheDir } from './ca.js';
import { activeFaults, FaultListError, parseFaultList } from './faults.js';
import { DEFAULT_TEST_USER, startTarget, type RunningTarget } from './server.js';

export interface TargetCommandOptions {
  /** HTTPS port (string from the CLI or number); default a free one. */
  port?: string | number;
  httpPort?: string | number;
  /** Fault list, e.g. `no_hsts,latencyMs=200`; default VOR_TARGET_FAULTS. */
  faults?: string;
  host?: string;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  /** Stops the target when aborted (tests); SIGINT/SIGTERM always do. */
  signal?: AbortSignal;
  /** Machine-readable info file; default VOR_TARGET_INFO_FILE or `${cache}/vor-watch/target.json`. */
  infoFile?: string;
  /** Called once the target is up (tests). */
  onReady?: (target: RunningTarget, infoFile: string) => void;
}

export class TargetUsageError extends Error {
  override readonly name = 'TargetUsageError';
}

function parsePort(flag: string, value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new TargetUsageError(`${flag} must be a port number 0-65535 (0 = a free port), got "${value}"`);
  return n;
}

/** Returns the exit status: 0 after a clean stop, 2 on bad usage (message on stderr). */
export async function runTargetCommand(opts: TargetCommandOptions = {}): Promise<number> {
  const out = opts.stdout ?? process.stdout;
  const err = opts.stderr ?? process.stderr;
  const env = opts.env ?? process.env;
  let port: number | undefined;
  let httpPort: number | undefined;
  let faults;
  try {
    port = parsePort('--port', opts.port);
    httpPort = parsePort('--http-port', opts.httpPort);
    faults = parseFaultList(opts.faults ?? env.VOR_TARGET_FAULTS);
  } catch (e) {
    if (e instanceof TargetUsageError || e instanceof FaultListError) {
      err.write(`vor-watch target: ${e.message}${e instanceof FaultListError ? ` (--faults / VOR_TARGET_FAULTS)` : ''}\n`);
      return 2;
    }
    throw e;
  }
  const started = performance.now();
  const envUser =
    env.VOR_TEST_USER_EMAIL !== undefined &&
    env.VOR_TEST_USER_EMAIL !== '' &&
    env.VOR_TEST_USER_PASSWORD !== undefined &&
    env.VOR_TEST_USER_PASSWORD !== ''
      ? { email: env.VOR_TEST_USER_EMAIL, password: env.VOR_TEST_USER_PASSWORD }
      : undefined;
  const target = await startTarget({
    quiet: true,
    faults,
    ...(opts.host === undefined ? {} : { host: opts.host }),
    ...(port === undefined ? {} : { port }),
    ...(httpPort === undefined ? {} : { httpPort }),
    ...(envUser === undefined ? { testUser: { ...DEFAULT_TEST_USER } } : { testUser: envUser }),
    ...(env.VOR_ALLOWED_ORIGIN !== undefined && env.VOR_ALLOWED_ORIGIN !== '' ? { allowedOrigin: env.VOR_ALLOWED_ORIGIN } : {}),
  });
  const startMs = Math.round(performance.now() - started);
  const infoFile =
    opts.infoFile ??
    (env.VOR_TARGET_INFO_FILE !== undefined && env.VOR_TARGET_INFO_FILE !== ''
      ? env.VOR_TARGET_INFO_FILE
      : join(vorCacheDir(env), 'target.json'));
  const info = {
    baseUrl: target.baseUrl,
    apiUrl: target.apiUrl,
    httpUrl: target.httpUrl,
    caFile: target.caFile,
    adminUrl: `${target.baseUrl}/__admin/faults`,
    adminToken: target.adminToken,
    testUserEmail: target.testUser.email,
    plaidOrigin: target.vendors.plaidOrigin,
    stripeOrigin: target.vendors.stripeOrigin,
    faults: activeFaults(target.faults()),
    pid: process.pid,
    startedAt: new Date().toISOString(),
  };
  mkdirSync(dirname(infoFile), { recursive: true, mode: 0o700 });
  writeFileSync(infoFile, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  chmodSync(infoFile, 0o600);
  const pw =
    envUser === undefined
      ? `password "${DEFAULT_TEST_USER.password}" (documented embedded default)`
      : 'password from VOR_TEST_USER_PASSWORD';
  out.write(
    [
      `VÖR reference target is up (${startMs} ms)`,
      `  site        ${target.baseUrl}/`,
      `  API         ${target.apiUrl}`,
      `  plain HTTP  ${target.httpUrl}/  (redirects to HTTPS)`,
      `  CA file     ${target.caFile}`,
      `  widgets     Plaid ${target.vendors.plaidOrigin}, Stripe ${target.vendors.stripeOrigin}  (same CA)`,
      `  test user   ${target.testUser.email}, ${pw}`,
      `  faults      ${info.faults.join(', ') || '(none)'}`,
      `  admin       GET/PUT/PATCH ${info.adminUrl}  with  Authorization: Bearer ${target.adminToken}`,
      `  info file   ${infoFile}`,
      '',
      'Point vor-watch at it:',
      `  vor-watch probe --target ${target.baseUrl} --http ${target.httpUrl} --ca ${target.caFile}`,
      `  export VOR_BASE_URL=${target.baseUrl} VOR_HTTP_URL=${target.httpUrl} VOR_CA_FILE=${target.caFile}`,
      `  curl --cacert ${target.caFile} ${target.baseUrl}/health`,
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  opts.onReady?.(target, infoFile);

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      opts.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (opts.signal?.aborted === true) stop();
    else opts.signal?.addEventListener('abort', stop);
  });
  await target.close();
  rmSync(infoFile, { force: true });
  out.write('VÖR reference target stopped.\n');
  return 0;
}
