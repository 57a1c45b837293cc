import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { Credentials } from '../core/target.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import {
  ChecklistFileSchema,
  ConfigFileSchema,
  TargetSchema,
  type Budgets,
  type ConfigFile,
  type ProbeOptions,
  type TargetConfig,
} from './schema.js';
import type { Attestation } from '../core/result.js';

/** The target flags of contract.md, each with its environment variable. */
export const TARGET_FLAGS = [
  { flag: 'target', env: 'VOR_BASE_URL', key: 'baseUrl' },
  { flag: 'api', env: 'VOR_API_URL', key: 'apiUrl' },
  { flag: 'http', env: 'VOR_HTTP_URL', key: 'httpUrl' },
  { flag: 'ca', env: 'VOR_CA_FILE', key: 'caFile' },
  { flag: 'allowedOrigin', env: 'VOR_ALLOWED_ORIGIN', key: 'allowedOrigin' },
  { flag: 'environment', env: 'VOR_ENVIRONMENT', key: 'environment' },
  { flag: 'loginUrl', env: 'VOR_LOGIN_URL', key: 'loginUrl' },
  { flag: 'ratelimitUrl', env: 'VOR_RATELIMIT_URL', key: 'rateLimitUrl' },
  { flag: 'queryUrl', env: 'VOR_QUERY_URL', key: 'queryUrl' },
  { flag: 'sessionCookie', env: 'VOR_SESSION_COOKIE', key: 'sessionCookie' },
] as const satisfies readonly { flag: string; env: string; key: keyof TargetConfig }[];

export type TargetFlags = Partial<Record<(typeof TARGET_FLAGS)[number]['flag'] | 'config', string>>;

const kebab = (flag: string): string => `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Everything a command needs, resolved once: flags > environment (.env) > config file > defaults. */
export interface RunConfig {
  /** Empty means: start the embedded reference target. */
  readonly targets: readonly TargetConfig[];
  readonly probes: ProbeOptions;
  readonly budgets: Budgets;
  readonly attestations: readonly Attestation[];
  readonly reportsDir: string;
  readonly credentials?: Credentials;
  readonly sentryDsn?: string;
  readonly release?: string;
  /** Values that must never appear in output, masked by the redactor. */
  readonly secrets: readonly string[];
}

export interface ResolveInput {
  readonly flags: TargetFlags;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Reads `.env` without touching process.env, so precedence stays explicit: real env wins over .env. */
export function loadEnvironment(cwd: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return env;
  return { ...parseDotenv(readFileSync(file)), ...env };
}

function zodProblems(error: z.ZodError, sourceOf: (issuePath: readonly PropertyKey[]) => string): ConfigProblem[] {
  return error.issues.map((issue) => ({ source: sourceOf(issue.path), message: issue.message }));
}

function readConfigFile(file: string, source: string, problems: ConfigProblem[]): ConfigFile | undefined {
  if (!existsSync(file)) {
    problems.push({ source, message: `file ${file} does not exist; pass a JSON or YAML config file` });
    return undefined;
  }
  let raw: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    raw = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    problems.push({
      source: file,
      message: `cannot be parsed as ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
    });
    return undefined;
  }
  const parsed = ConfigFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    problems.push(...zodProblems(parsed.error, (p) => `${file}: ${p.map(String).join('.') || '(root)'}`));
    return undefined;
  }
  return parsed.data;
}

function readChecklist(file: string, problems: ConfigProblem[]): readonly Attestation[] {
  if (!existsSync(file)) {
    problems.push({ source: file, message: 'checklist attestations file does not exist' });
    return [];
  }
  try {
    const text = readFileSync(file, 'utf8');
    const parsed = ChecklistFileSchema.safeParse(/\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text));
    if (parsed.success) return parsed.data.attestations;
    problems.push(...zodProblems(parsed.error, (p) => `${file}: ${p.map(String).join('.')}`));
  } catch (error) {
    problems.push({ source: file, message: `cannot be parsed: ${(error as Error).message.split('\n')[0]}` });
  }
  return [];
}

export function resolveConfig(input: ResolveInput): RunConfig {
  const env = loadEnvironment(input.cwd, input.env);
  const problems: ConfigProblem[] = [];
  const configPath = input.flags.config ?? env.VOR_CONFIG;
  const configSource = input.flags.config !== undefined ? '--config' : 'VOR_CONFIG';
  const file =
    configPath === undefined
      ? ConfigFileSchema.parse({})
      : (readConfigFile(path.resolve(input.cwd, configPath), configSource, problems) ?? ConfigFileSchema.parse({}));

  // Flags and variables override fields of every target; a --target/VOR_BASE_URL replaces the list.
  const overrides: Partial<Record<keyof TargetConfig, string>> = {};
  const sources = new Map<string, string>();
  for (const { flag, env: variable, key } of TARGET_FLAGS) {
    const fromFlag = input.flags[flag];
    const value = fromFlag ?? env[variable];
    if (value === undefined || value === '') continue;
    overrides[key] = key === 'caFile' ? path.resolve(input.cwd, value) : value;
    sources.set(key, fromFlag !== undefined ? kebab(flag) : variable);
  }
  if (overrides.caFile !== undefined && !existsSync(overrides.caFile)) {
    problems.push({
      source: sources.get('caFile') ?? '--ca',
      message: `file ${overrides.caFile} does not exist; give a PEM file of CA certificates`,
    });
    delete overrides.caFile;
  }

  const targetInputs: unknown[] = overrides.baseUrl !== undefined ? [{ ...overrides }] : file.targets.map((t) => ({ ...t, ...overrides }));
  const targets: TargetConfig[] = [];
  targetInputs.forEach((candidate, index) => {
    const parsed = TargetSchema.safeParse(candidate);
    if (parsed.success) targets.push(parsed.data);
    else
      problems.push(
        ...zodProblems(parsed.error, (p) => {
          const key = String(p[0] ?? '');
          return sources.get(key) ?? `${configPath ?? 'config'}: targets.${index}.${p.map(String).join('.')}`;
        }),
      );
  });
  if (targets.length === 0 && targetInputs.length === 0 && Object.keys(overrides).some((k) => k !== 'caFile' && k !== 'environment')) {
    const first = [...sources.entries()].find(([k]) => k !== 'caFile' && k !== 'environment');
    problems.push({ source: first?.[1] ?? '--target', message: 'needs a target: pass --target https://… (or VOR_BASE_URL)' });
  }

  const attestations = [...file.attestations];
  if (file.checklist !== undefined && configPath !== undefined) {
    attestations.push(...readChecklist(path.resolve(path.dirname(path.resolve(input.cwd, configPath)), file.checklist), problems));
  }
  if (env.VOR_CHECKLIST !== undefined && env.VOR_CHECKLIST !== '')
    attestations.push(...readChecklist(path.resolve(input.cwd, env.VOR_CHECKLIST), problems));

  const email = env.VOR_TEST_USER_EMAIL;
  const password = env.VOR_TEST_USER_PASSWORD;
  if ((email === undefined) !== (password === undefined)) {
    problems.push({
      source: email === undefined ? 'VOR_TEST_USER_EMAIL' : 'VOR_TEST_USER_PASSWORD',
      message: 'set both VOR_TEST_USER_EMAIL and VOR_TEST_USER_PASSWORD, or neither',
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const credentials = email !== undefined && password !== undefined ? { email, password } : undefined;
  const sentryDsn = env.SENTRY_DSN === '' ? undefined : env.SENTRY_DSN;
  return Object.freeze({
    targets,
    probes: file.probes,
    budgets: file.budgets,
    attestations,
    reportsDir: path.resolve(input.cwd, env.VOR_REPORTS_DIR ?? file.reportsDir),
    ...(credentials === undefined ? {} : { credentials }),
    ...(sentryDsn === undefined ? {} : { sentryDsn }),
    ...(env.VOR_RELEASE === undefined ? {} : { release: env.VOR_RELEASE }),
    secrets: [password, sentryDsn, env.VOR_ADMIN_TOKEN].filter((s): s is string => s !== undefined && s !== ''),
  });
}
