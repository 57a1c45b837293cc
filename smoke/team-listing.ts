import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../src/project-root.js';
import type { Finding } from '../src/core/result.js';
import { LIST_FILE_ENV, type Listing } from './list-reporter.js';
import { bundlePublicEntry } from './public-bundle.js';
import { SMOKE_RUN_ENV, type SmokeRun } from './run-config.js';
import { placeOf, planTeamChecks, specFileOf, TEAM_PROJECT, type BrokenFile, type TeamPlan } from './team-checks.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = fileURLToPath(PROJECT_ROOT);
const PLAYWRIGHT_CLI = path.join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
const CONFIG = path.join(ROOT, 'playwright.config.ts');
/** A module beside this one: the source in a checkout, the compiled one in a build. */
const beside = (name: string): string =>
  [`${name}.ts`, `${name}.js`].map((file) => path.join(HERE, file)).find((file) => existsSync(file)) ?? path.join(HERE, `${name}.ts`);
const LIST_TIMEOUT_MS = 60_000;
/** Each listing that finds files that do not load lists again without them; a few rounds settle any folder. */
const MAX_ROUNDS = 4;

export interface PreparedTeamChecks {
  /** What the run file says about the folder; undefined when the folder cannot be used at all. */
  readonly teamChecks?: NonNullable<SmokeRun['teamChecks']>;
  readonly plan: TeamPlan;
}

const run = promisify(execFile);

/**
 * Lists the team's specs before the browser run (Playwright runs nothing when one file does not load):
 * the files that do not load are left out and reported, the built-in tests the team replaces are named.
 */
export async function prepareTeamChecks(dir: string, base: SmokeRun, workDir: string, env: NodeJS.ProcessEnv): Promise<PreparedTeamChecks> {
  const tsconfig = path.join(workDir, 'team-tsconfig.json');
  if (!existsSync(dir)) return unusable(dir, `the folder ${dir} does not exist`);
  // Playwright resolves a bare import from the spec's own folder; this maps `vor-watch/smoke` for any folder.
  await writeFile(tsconfig, JSON.stringify({ compilerOptions: { paths: { 'vor-watch/smoke': [await bundlePublicEntry(workDir)] } } }));
  const broken: BrokenFile[] = [];
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const teamChecks = { dir, tsconfig, ignore: broken.map((b) => b.file), replaced: [], listing: true };
    const listed = await list({ ...base, teamChecks }, workDir, env);
    if (typeof listed === 'string') return unusable(dir, listed);
    const errors = listed.errors.filter((e) => !/^Error: No tests found/.test(e.message));
    if (errors.length === 0) {
      const plan = planTeamChecks(dir, listed, broken);
      return { teamChecks: { dir, tsconfig, ignore: [...plan.ignore], replaced: [...plan.replaced], listing: false }, plan };
    }
    const before = broken.length;
    for (const error of errors) {
      const spec = specFileOf(dir, error);
      if (spec === undefined || broken.some((b) => b.file === spec.file)) continue;
      broken.push({ ...spec, message: error.message, source: await readFile(spec.file, 'utf8').catch(() => '') });
    }
    if (broken.length === before) return unusable(dir, errors[0]?.message ?? 'Playwright could not load the specs');
  }
  return unusable(dir, `more than ${MAX_ROUNDS} rounds of spec files that do not load`);
}

async function list(runFile: SmokeRun, workDir: string, env: NodeJS.ProcessEnv): Promise<Listing | string> {
  const file = path.join(workDir, 'team-list-run.json');
  const output = path.join(workDir, 'team-list.json');
  await writeFile(file, JSON.stringify(runFile));
  await rm(output, { force: true });
  const args = [PLAYWRIGHT_CLI, 'test', '--config', CONFIG, '--list', '--project', TEAM_PROJECT, '--reporter', beside('list-reporter')];
  let stderr = '';
  try {
    await run(process.execPath, args, {
      cwd: ROOT,
      env: { ...env, [SMOKE_RUN_ENV]: file, [LIST_FILE_ENV]: output, FORCE_COLOR: '0' },
      timeout: LIST_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      maxBuffer: 4_000_000,
    });
  } catch (error) {
    // Exit 1 with load errors is expected: the listing says which files; no listing at all is the failure.
    if ((error as { killed?: boolean }).killed === true) return `listing the specs took longer than ${LIST_TIMEOUT_MS / 1000} s`;
    stderr = String((error as { stderr?: unknown }).stderr ?? '');
  }
  try {
    return JSON.parse(await readFile(output, 'utf8')) as Listing;
  } catch {
    const cause = stderr
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim();
    return `Playwright could not list the specs${cause === undefined ? '' : ` (${cause.slice(0, 300)})`}`;
  }
}

function unusable(dir: string, why: string): PreparedTeamChecks {
  const finding: Finding = {
    id: 'custom.checks',
    status: 'error',
    reason: 'spec_load_failed',
    message: `${placeOf(dir, path.resolve(dir))}: the team's specs could not be loaded, none of them ran: ${why.trim().split('\n')[0]}`,
    evidence: { dir: path.resolve(dir) },
  };
  return { plan: { ignore: [], replaced: [], ids: [{ id: 'custom.checks', grepText: '' }], findings: [finding] } };
}
