import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type * as Yaml from 'yaml';
import type { z } from 'zod';
import type { TrafficConfig, TriggerWindows } from '../alerting/traffic-config.js';
import type { Credentials, TargetInput } from '../core/target.js';
import type { AppProfile } from './profile.js';
import { describeDsn } from '../core/mask.js';
import { secretsOf } from '../core/secrets.js';
import { prometheusUrlSecrets } from '../monitor/prometheus-url.js';
import { resolveCheckSettings, type CheckSettings, type CheckSettingsLevel } from '../custom/settings.js';
import { caFileProblem, sentryDsnProblem, withoutUrlCredentials } from './value-checks.js';
import { checksDirOf } from './checks-dir.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import type { LoadConfig } from './load-schema.js';
import {
  ChecklistFileSchema,
  ConfigFileSchema,
  TargetSchema,
  type Budgets,
  type ConfigFile,
  type ProbeOptions,
  type SmokeOptions,
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

export type TargetFlags = Partial<Record<(typeof TARGET_FLAGS)[number]['flag'] | 'config' | 'targetName', string>>;

const kebab = (flag: string): string => `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Everything a command needs, resolved once: flags > environment (.env) > config file > defaults. */
export interface RunConfig {
  /** Empty means: start the embedded reference target. Each carries the app profile and its own test user. */
  readonly targets: readonly (TargetConfig & TargetInput)[];
  /** The app profile of the config file (the reference target's when none is given). */
  readonly app: AppProfile;
  readonly smoke: SmokeOptions;
  readonly probes: ProbeOptions;
  readonly budgets: Budgets;
  readonly attestations: readonly Attestation[];
  /** Open manual checklist items make `verify` NO-GO (config requireAttestations, VOR_REQUIRE_ATTESTATIONS=true, --require-attestations). */
  readonly requireAttestations: boolean;
  readonly reportsDir: string;
  /** Run folders kept in reportsDir; 0 keeps all. */
  readonly keepReports: number;
  readonly credentials?: Credentials;
  readonly sentryDsn?: string;
  readonly release?: string;
  /** Values that must never appear in output, masked by the redactor. */
  readonly secrets: readonly string[];
  readonly prometheus?: TrafficConfig;
  readonly triggers?: TriggerWindows;
  /** The top-level checks as code (HTTP assertion checks, overrides): the embedded target's; each target has its own merge. */
  readonly checkSettings: CheckSettings;
  readonly load?: LoadConfig;
  /** The team's own Playwright specs (checks.dir, absolute; --checks overrides it per command). */
  readonly checksDir?: string;
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

// yaml (~0.1 s to load) only when a YAML file is read: a run configured by flags and environment never needs it.
const parseYaml = (text: string): unknown => (createRequire(import.meta.url)('yaml') as typeof Yaml).parse(text);

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
  // An empty variable (as `.env.example` ships them: `VOR_CONFIG=`) means unset.
  const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);
  const configPath = input.flags.config ?? nonEmpty(env.VOR_CONFIG);
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
    if (fromFlag !== undefined && fromFlag.trim() === '') {
      // `--target "$DEPLOY_URL"` with the variable unset must not quietly fall back to the embedded target.
      problems.push({ source: kebab(flag), message: `is empty; give a value or leave the flag out (then ${variable} applies)` });
      continue;
    }
    const value = fromFlag ?? env[variable];
    if (value === undefined || value === '') continue;
    overrides[key] = key === 'caFile' ? path.resolve(input.cwd, value) : value;
    sources.set(key, fromFlag !== undefined ? kebab(flag) : variable);
  }
  const overrideCaProblem = overrides.caFile === undefined ? undefined : caFileProblem(overrides.caFile);
  if (overrideCaProblem !== undefined) {
    problems.push({ source: sources.get('caFile') ?? '--ca', message: overrideCaProblem });
    delete overrides.caFile;
  }

  // A caFile in the config file is relative to that file, like its checklist.
  const configDir = configPath === undefined ? input.cwd : path.dirname(path.resolve(input.cwd, configPath));
  const fileTargets = file.targets.map((t, index) => {
    if (t.caFile === undefined || overrides.caFile !== undefined) return t;
    const caFile = path.resolve(configDir, t.caFile);
    const problem = caFileProblem(caFile);
    if (problem !== undefined) problems.push({ source: `${configPath ?? 'config'}: targets.${index}.caFile`, message: problem });
    return { ...t, caFile };
  });
  const targetInputs: unknown[] = selectTargets(fileTargets, overrides, input.flags.targetName ?? nonEmpty(env.VOR_TARGET_NAME), {
    nameSource: input.flags.targetName !== undefined ? '--target-name' : 'VOR_TARGET_NAME',
    configSource: configPath ?? 'config',
    problems,
  });
  const targets: TargetConfig[] = [];
  const urlSecrets: string[] = [];
  targetInputs.forEach((candidate, index) => {
    const parsed = TargetSchema.safeParse(withoutUrlCredentials(candidate, urlSecrets));
    if (parsed.success) targets.push(parsed.data);
    else
      problems.push(
        ...zodProblems(parsed.error, (p) => {
          const key = String(p[0] ?? '');
          return sources.get(key) ?? `${configPath ?? 'config'}: targets.${index}.${p.map(String).join('.')}`;
        }),
      );
  });
  if (
    fileTargets.length === 0 &&
    targets.length === 0 &&
    targetInputs.length === 0 &&
    Object.keys(overrides).some((k) => k !== 'caFile' && k !== 'environment')
  ) {
    const first = [...sources.entries()].find(([k]) => k !== 'caFile' && k !== 'environment');
    problems.push({ source: first?.[1] ?? '--target', message: 'needs a target: pass --target https://… (or VOR_BASE_URL)' });
  }

  const attestations = [...file.attestations];
  if (file.checklist !== undefined && configPath !== undefined) {
    attestations.push(...readChecklist(path.resolve(path.dirname(path.resolve(input.cwd, configPath)), file.checklist), problems));
  }
  if (env.VOR_CHECKLIST !== undefined && env.VOR_CHECKLIST !== '')
    attestations.push(...readChecklist(path.resolve(input.cwd, env.VOR_CHECKLIST), problems));

  const email = nonEmpty(env.VOR_TEST_USER_EMAIL);
  const password = nonEmpty(env.VOR_TEST_USER_PASSWORD);
  if ((email === undefined) !== (password === undefined)) {
    problems.push({
      source: email === undefined ? 'VOR_TEST_USER_EMAIL' : 'VOR_TEST_USER_PASSWORD',
      message: 'set both VOR_TEST_USER_EMAIL and VOR_TEST_USER_PASSWORD, or neither',
    });
  }
  const dsnProblem = env.SENTRY_DSN === undefined || env.SENTRY_DSN === '' ? undefined : sentryDsnProblem(env.SENTRY_DSN);
  // The DSN is a secret: the message shows its scheme and host only (and an invalid one never reaches the Sentry SDK, which would log it).
  if (dsnProblem !== undefined)
    problems.push({
      source: 'SENTRY_DSN',
      message: `${dsnProblem} (${describeDsn(env.SENTRY_DSN ?? '')}); expected the DSN of Sentry's Client Keys page (https, a public key, the ingest host and a project id)`,
    });
  const keepReports = keepReportsOf(env.VOR_KEEP_REPORTS, file.keepReports, problems);
  for (const name of ['VOR_SMOKE_MAX_RSS_MB', 'VOR_SMOKE_MAX_ARTIFACT_MB'] as const) megabytesProblem(name, env[name], problems);
  for (const [index, t] of targets.entries()) {
    const existing = t.users.existing;
    if (existing === null || existing.emailEnv === 'VOR_TEST_USER_EMAIL') continue;
    if ((nonEmpty(env[existing.emailEnv]) === undefined) !== (nonEmpty(env[existing.passwordEnv]) === undefined))
      problems.push({
        source: `${configPath ?? 'config'}: targets.${index}.users.existing`,
        message: `set both ${existing.emailEnv} and ${existing.passwordEnv} in the environment, or neither`,
      });
  }
  const checks = checkSettingsOf(file, targets, {
    at: `${configPath ?? 'config'}: `,
    targetName: input.flags.targetName ?? nonEmpty(env.VOR_TARGET_NAME),
    fileTargets,
    env,
  });
  problems.push(...checks.problems);
  const checksDir = checksDirOf(file.checks.dir, configDir, `${configPath ?? 'config'}: checks.dir`, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const credentials = email !== undefined && password !== undefined ? { email, password } : undefined;
  const sentryDsn = env.SENTRY_DSN === '' ? undefined : env.SENTRY_DSN;
  // Every target says whose credentials it uses (undefined: none), so buildTarget never falls back to another's.
  const resolvedTargets = targets.map((t, index) => ({
    ...t,
    app: file.app,
    credentials: credentialsOf(t, env),
    configDir,
    checkSettings: checks.perTarget[index] ?? checks.topLevel,
  }));
  const targetSecrets = resolvedTargets.flatMap((t) => (t.credentials === undefined ? [] : [t.credentials.password]));
  return Object.freeze({
    targets: resolvedTargets,
    app: file.app,
    smoke: file.smoke,
    probes: file.probes,
    budgets: file.budgets,
    attestations,
    requireAttestations: file.requireAttestations || env.VOR_REQUIRE_ATTESTATIONS === 'true',
    reportsDir: path.resolve(input.cwd, nonEmpty(env.VOR_REPORTS_DIR) ?? file.reportsDir),
    keepReports,
    ...(credentials === undefined ? {} : { credentials }),
    ...(sentryDsn === undefined ? {} : { sentryDsn }),
    ...(nonEmpty(env.VOR_RELEASE) === undefined ? {} : { release: env.VOR_RELEASE }),
    ...(file.prometheus === undefined ? {} : { prometheus: file.prometheus }),
    ...(file.triggers === undefined ? {} : { triggers: file.triggers }),
    ...(file.load === undefined ? {} : { load: file.load }),
    checkSettings: checks.topLevel,
    ...(checksDir === undefined ? {} : { checksDir }),
    secrets: [
      ...secretsOf(env),
      ...checks.secrets,
      ...targetSecrets,
      ...tokenSecrets(resolvedTargets, env),
      ...urlSecrets,
      ...prometheusUrlSecrets(env.VOR_PROMETHEUS_URL),
      ...prometheusUrlSecrets(file.prometheus?.url),
    ].filter((s): s is string => s !== undefined && s !== ''),
  });
}

/**
 * Which targets run: the one named by --target-name / VOR_TARGET_NAME (else all of the file's); a --target
 * URL replaces only the base URL and keeps the rest of that target's settings (with several targets in the
 * file it needs a name to know whose). Flags and variables override fields of every selected target.
 */
function selectTargets(
  fileTargets: readonly TargetConfig[],
  overrides: Partial<Record<keyof TargetConfig, string>>,
  targetName: string | undefined,
  at: { nameSource: string; configSource: string; problems: ConfigProblem[] },
): unknown[] {
  let selected = [...fileTargets];
  if (targetName !== undefined) {
    selected = fileTargets.filter((t) => t.name === targetName);
    if (selected.length === 0) {
      const names = fileTargets.map((t) => t.name).filter((n): n is string => n !== undefined);
      at.problems.push({
        source: at.nameSource,
        message: `no target named "${targetName}" in ${at.configSource}; ${names.length > 0 ? `valid: ${names.join(', ')}` : 'give the targets a `name`'}`,
      });
      return [];
    }
  }
  if (overrides.baseUrl === undefined) return selected.map((t) => ({ ...t, ...overrides }));
  if (selected.length === 0) return [{ ...overrides }];
  if (selected.length > 1) {
    at.problems.push({
      source: at.nameSource === '--target-name' ? '--target' : '--target-name',
      message: `--target replaces one target's URL, but ${at.configSource} has ${selected.length}; pick one with --target-name NAME (or VOR_TARGET_NAME)`,
    });
    return [];
  }
  return [{ ...selected[0], ...overrides }];
}

/**
 * Every target's checks as code: the top level merged with the target's own (which wins per check id).
 * Sources name the file and the field path; a target is found in the file by the same selection as selectTargets.
 */
function checkSettingsOf(
  file: ConfigFile,
  targets: readonly TargetConfig[],
  at: { at: string; targetName: string | undefined; fileTargets: readonly TargetConfig[]; env: NodeJS.ProcessEnv },
): { topLevel: CheckSettings; perTarget: CheckSettings[]; problems: ConfigProblem[]; secrets: string[] } {
  const top: CheckSettingsLevel = { http: file.checks.http, overrides: file.overrides, at: at.at };
  const fileIndexes = at.fileTargets.flatMap((t, i) => (at.targetName === undefined || t.name === at.targetName ? [i] : []));
  const topLevel = resolveCheckSettings([top], at.env);
  const perTarget = targets.map((t, k) => {
    const index = fileIndexes[k];
    return resolveCheckSettings(
      [top, { http: t.checks?.http ?? [], overrides: t.overrides, at: index === undefined ? at.at : `${at.at}targets.${index}.` }],
      at.env,
    );
  });
  const all = [topLevel, ...perTarget];
  const problems = all.flatMap((r) => r.problems);
  return {
    topLevel: topLevel.settings,
    perTarget: perTarget.map((r) => r.settings),
    // A top-level check's unset variable is named once, not once per target.
    problems: problems.filter((p, i) => problems.findIndex((q) => q.source === p.source && q.message === p.message) === i),
    secrets: all.flatMap((r) => r.secrets),
  };
}

/** A target's own pre-provisioned user, from the environment variables its `users.existing` names. */
function credentialsOf(target: TargetConfig, env: NodeJS.ProcessEnv): Credentials | undefined {
  const existing = target.users.existing;
  if (existing === null) return undefined;
  const email = env[existing.emailEnv];
  const password = env[existing.passwordEnv];
  return email !== undefined && email !== '' && password !== undefined && password !== '' ? { email, password } : undefined;
}

/** Bearer tokens of test-support endpoints are secrets too. */
function tokenSecrets(targets: readonly TargetConfig[], env: NodeJS.ProcessEnv): string[] {
  return targets.flatMap((t) => {
    const throwaway = t.users.throwaway;
    const name = throwaway.source === 'endpoint' ? throwaway.create.tokenEnv : undefined;
    const value = name === undefined ? undefined : env[name];
    return value === undefined || value === '' ? [] : [value];
  });
}

/** smoke/run-limits.ts reads these at run time; a value it cannot use is named here, before anything starts. */
function megabytesProblem(name: string, value: string | undefined, problems: ConfigProblem[]): void {
  if (value === undefined || value.trim() === '' || /^[1-9]\d{0,6}$/.test(value.trim())) return;
  problems.push({ source: name, message: `"${value}" is not a whole number of megabytes above 0` });
}

function keepReportsOf(value: string | undefined, fromFile: number, problems: ConfigProblem[]): number {
  if (value === undefined || value.trim() === '') return fromFile;
  if (!/^\d{1,6}$/.test(value.trim())) {
    problems.push({
      source: 'VOR_KEEP_REPORTS',
      message: `"${value}" is not a whole number; give how many run folders to keep (0 keeps all)`,
    });
    return fromFile;
  }
  return Number(value.trim());
}
