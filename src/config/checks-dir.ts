import { statSync } from 'node:fs';
import path from 'node:path';
import { configError, type ConfigProblem } from './errors.js';

/** Why a folder of the team's Playwright specs cannot be used; undefined when it can. */
export function checksDirProblem(dir: string): string | undefined {
  try {
    if (statSync(dir).isDirectory()) return undefined;
    return `${dir} is not a folder; give the folder of your Playwright specs (README "Checks as code")`;
  } catch {
    return `the folder ${dir} does not exist; give the folder of your Playwright specs (README "Checks as code")`;
  }
}

/** `checks.dir` of a config file, relative to that file; a problem is noted, not thrown, like the file's other fields. */
export function checksDirOf(value: string | undefined, configDir: string, source: string, problems: ConfigProblem[]): string | undefined {
  if (value === undefined) return undefined;
  const dir = path.resolve(configDir, value);
  const problem = checksDirProblem(dir);
  if (problem !== undefined) problems.push({ source, message: problem });
  return problem === undefined ? dir : undefined;
}

/** `--checks DIR` (relative to the working folder): wins over `checks.dir`; a usable folder or exit 2 before anything starts. */
export function checksDirFlag(options: Record<string, unknown>, cwd: string): string | undefined {
  if (typeof options.checks !== 'string') return undefined;
  const dir = path.resolve(cwd, options.checks);
  const problem = checksDirProblem(dir);
  if (problem !== undefined) throw configError('--checks', problem);
  return dir;
}
