import { loadEnvironment, resolveConfig, type RunConfig, type TargetFlags } from '../config/resolve.js';
import { createRedactor, type Redactor } from '../core/redact.js';
import { buildTarget, type Target, type TargetInput } from '../core/target.js';
import { createHttpTransport, type HttpTransport } from '../net/transport.js';
import type { SentryReporter } from '../sentry/client.js';
import type { RunningTarget } from '../../target/server.js';
import type { CommandIO } from './io.js';
import { DEFAULT_TEST_USERS } from '../config/profile.js';

/**
 * What one command runs against and with: the targets (the embedded reference target when none
 * is configured), the redactor, the probes' HTTP connections and the Sentry reporter. close()
 * releases all of it.
 */
export interface Session {
  readonly config: RunConfig;
  readonly targets: readonly Target[];
  readonly redactor: Redactor;
  readonly io: CommandIO;
  readonly transport: HttpTransport;
  /** Set when the embedded reference target was started for this run. */
  readonly embedded?: RunningTarget;
  /** The run's Sentry reporter, started on first use; undefined without SENTRY_DSN (then nothing is sent anywhere). */
  sentry(): Promise<SentryReporter | undefined>;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Faults to switch on in the embedded reference target (a --faults list). */
  readonly faults?: string;
}

/** The embedded target's environment, with the usual precedence: --environment > VOR_ENVIRONMENT > .env > production. */
export function embeddedEnvironment(flags: TargetFlags, io: Pick<CommandIO, 'env' | 'cwd'>): string {
  const value = flags.environment ?? loadEnvironment(io.cwd, io.env).VOR_ENVIRONMENT;
  return value === undefined || value === '' ? 'production' : value;
}

export async function openSession(flags: TargetFlags, io: CommandIO, options: SessionOptions = {}): Promise<Session> {
  const config = resolveConfig({ flags, env: io.env, cwd: io.cwd });
  if (config.targets.length > 0) {
    return sessionOf(
      config,
      config.targets.map((t) => buildTarget(t, config.credentials)),
      createRedactor(config.secrets),
      io,
    );
  }
  const { startTarget } = await import('../../target/server.js');
  const { parseFaultList } = await import('../../target/faults.js');
  const embedded = await startTarget({
    quiet: true,
    ...(config.credentials === undefined ? {} : { testUser: config.credentials }),
    ...(options.faults === undefined ? {} : { faults: parseFaultList(options.faults) }),
  });
  io.stderr.write(`vor-watch: no --target given; started the embedded reference target at ${embedded.baseUrl}\n`);
  const credentials = config.credentials ?? embedded.testUser;
  const target = buildTarget(
    { ...embeddedTargetInput(embedded), environment: embeddedEnvironment(flags, io), checkSettings: config.checkSettings },
    credentials,
  );
  return sessionOf(config, [target], createRedactor([...config.secrets, credentials.password, embedded.adminToken]), io, embedded);
}

/** The embedded reference target as a target: a disposable local instance, so its flows may sign throwaway users up whatever its environment is called. */
export function embeddedTargetInput(embedded: Pick<RunningTarget, 'baseUrl' | 'httpUrl' | 'caFile'>): TargetInput {
  return {
    name: 'reference',
    baseUrl: embedded.baseUrl,
    httpUrl: embedded.httpUrl,
    caFile: embedded.caFile,
    publicApiPaths: [],
    routes: [],
    users: { ...DEFAULT_TEST_USERS, allowSignupOnProduction: true },
  };
}

/** The Sentry SDK is heavy: loaded only when there is a DSN to send to. */
async function startSentryIfConfigured(config: RunConfig, redactor: Redactor, io: CommandIO): Promise<SentryReporter | undefined> {
  if (config.sentryDsn === undefined) return undefined;
  const { startSentry } = await import('../sentry/client.js');
  return startSentry(config, redactor, io);
}

function sessionOf(config: RunConfig, targets: readonly Target[], redactor: Redactor, io: CommandIO, embedded?: RunningTarget): Session {
  const transport = createHttpTransport();
  let sentry: Promise<SentryReporter | undefined> | undefined;
  return {
    config,
    targets,
    redactor,
    io,
    transport,
    ...(embedded === undefined ? {} : { embedded }),
    sentry: () => (sentry ??= startSentryIfConfigured(config, redactor, io)),
    async close() {
      transport.close();
      await (await sentry)?.close();
      await embedded?.close();
    },
  };
}
