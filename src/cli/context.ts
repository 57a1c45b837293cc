import { createRedactor, type Redactor } from '../core/redact.js';
import { buildTarget, type Target } from '../core/target.js';
import { loadEnvironment, resolveConfig, type RunConfig, type TargetFlags } from '../config/resolve.js';
import type { RunningTarget } from '../../target/server.js';

export interface CommandIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly isTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export const processIO = (): CommandIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stdout.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
});

/** The target flags of a command's options (contract.md, "Target flags"). */
export function targetFlagsOf(options: Record<string, unknown>): TargetFlags {
  const keys = [
    'target',
    'api',
    'http',
    'ca',
    'allowedOrigin',
    'environment',
    'config',
    'targetName',
    'loginUrl',
    'ratelimitUrl',
    'queryUrl',
    'sessionCookie',
  ] as const;
  const flags: TargetFlags = {};
  for (const key of keys) if (typeof options[key] === 'string') flags[key] = options[key];
  return flags;
}

/** The embedded target's environment, with the usual precedence: --environment > VOR_ENVIRONMENT > .env > production. */
export function embeddedEnvironment(flags: TargetFlags, io: Pick<CommandIO, 'env' | 'cwd'>): string {
  const value = flags.environment ?? loadEnvironment(io.cwd, io.env).VOR_ENVIRONMENT;
  return value === undefined || value === '' ? 'production' : value;
}

/** The targets a command runs against; the embedded reference target when none is configured. */
export interface TargetSession {
  readonly config: RunConfig;
  readonly targets: readonly Target[];
  readonly redactor: Redactor;
  /** Set when the embedded reference target was started for this run. */
  readonly embedded?: RunningTarget;
  close(): Promise<void>;
}

export async function openTargets(flags: TargetFlags, io: CommandIO, embeddedOptions: { faults?: string } = {}): Promise<TargetSession> {
  const config = resolveConfig({ flags, env: io.env, cwd: io.cwd });
  if (config.targets.length > 0) {
    return {
      config,
      targets: config.targets.map((t) => buildTarget(t, config.credentials)),
      redactor: createRedactor(config.secrets),
      close: async () => undefined,
    };
  }
  const { startTarget } = await import('../../target/server.js');
  const { parseFaultList } = await import('../../target/faults.js');
  const embedded = await startTarget({
    quiet: true,
    ...(config.credentials === undefined ? {} : { testUser: config.credentials }),
    ...(embeddedOptions.faults === undefined ? {} : { faults: parseFaultList(embeddedOptions.faults) }),
  });
  io.stderr.write(`vor-watch: no --target given; started the embedded reference target at ${embedded.baseUrl}\n`);
  const credentials = config.credentials ?? embedded.testUser;
  const target = buildTarget(
    {
      name: 'reference',
      baseUrl: embedded.baseUrl,
      httpUrl: embedded.httpUrl,
      caFile: embedded.caFile,
      environment: embeddedEnvironment(flags, io),
      publicApiPaths: [],
      routes: [],
    },
    credentials,
  );
  return {
    config,
    targets: [target],
    redactor: createRedactor([...config.secrets, credentials.password, embedded.adminToken]),
    embedded,
    close: () => embedded.close(),
  };
}
