import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { runCli } from './helpers/cli.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const k6Dir = path.join(root, 'load', 'k6');
const dir = mkdtempSync(path.join(tmpdir(), 'vor-k6-typecheck-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The exported table as a TypeScript module that must satisfy the k6 script's own scenario type. */
function writeTypedTable(table: unknown): void {
  writeFileSync(
    path.join(dir, 'table.ts'),
    `import type { K6Scenario } from './vor.ts';\nexport const table = ${JSON.stringify(table, null, 2)} satisfies Record<string, K6Scenario>;\n`,
  );
}

async function typecheck(): Promise<{ ok: boolean; output: string }> {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', dir], { timeout: 90_000 });
    return { ok: true, output: '' };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout}${stderr}` };
  }
}

test(
  'the k6 script with the scenario table exported from examples/checks type-checks against @types/k6, and a wrong field does not',
  { timeout: 120_000 },
  async () => {
    const out = path.join(dir, 'scenarios.json');
    const exported = await runCli(['load', '--config', path.join(root, 'examples', 'checks', 'vor-watch.yml'), '--export-k6', out], {
      env: { VOR_CONFIG: undefined, VOR_BASE_URL: undefined, VOR_REPORTS_DIR: path.join(dir, 'reports') },
      timeoutMs: 30_000,
    });
    assert.equal(exported.code, 0, exported.stderr);
    for (const file of ['vor.ts', 'summary.ts']) copyFileSync(path.join(k6Dir, file), path.join(dir, file));
    const tsconfig = JSON.parse(readFileSync(path.join(k6Dir, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    tsconfig.compilerOptions.typeRoots = [path.join(root, 'node_modules', '@types')];
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));

    const table = JSON.parse(readFileSync(out, 'utf8')) as Record<string, { requests: { base: string }[] }>;
    assert.ok(table['team-browse'] !== undefined, 'the config scenario is in the exported table');
    writeTypedTable(table);
    const clean = await typecheck();
    assert.ok(clean.ok, clean.output);

    const first = table['team-browse'].requests[0];
    assert.ok(first !== undefined);
    first.base = 'nowhere';
    writeTypedTable(table);
    const broken = await typecheck();
    assert.equal(broken.ok, false, 'a request base the script does not know must not type-check');
    assert.match(broken.output, /nowhere/);
  },
);
