import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from './helpers/cli.js';

const COMMANDS = ['verify', 'probe', 'smoke', 'load', 'monitor', 'gate', 'target'];
// An empty working directory: no .env of the developer's leaks into these runs.
const cwd = mkdtempSync(path.join(tmpdir(), 'vor-cli-'));
const clean = { VOR_BASE_URL: undefined, VOR_CONFIG: undefined, VOR_TEST_USER_EMAIL: undefined, VOR_TEST_USER_PASSWORD: undefined };

const noStack = (text: string) => assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+/, `a stack trace leaked:\n${text}`);

test('--help lists every command of the contract and exits 0', { timeout: 30_000 }, async () => {
  const run = await runCli(['--help'], { cwd });
  assert.equal(run.code, 0);
  for (const command of COMMANDS) assert.match(run.stdout, new RegExp(`^\\s+${command}\\b`, 'm'), command);
});

test('every command has its own --help', { timeout: 60_000 }, async () => {
  for (const command of COMMANDS) {
    const run = await runCli([command, '--help'], { cwd });
    assert.equal(run.code, 0, command);
    assert.match(run.stdout, new RegExp(`Usage: vor-watch ${command}`));
  }
});

test('--version prints the package version', { timeout: 30_000 }, async () => {
  const run = await runCli(['--version'], { cwd });
  assert.equal(run.code, 0);
  assert.match(run.stdout.trim(), /^\d+\.\d+\.\d+$/);
});

const usageErrors: { name: string; args: string[]; env?: Record<string, string>; expect: RegExp }[] = [
  { name: 'probe --target ftp://x', args: ['probe', '--target', 'ftp://x'], expect: /--target: must be an https:\/\/ URL/ },
  { name: 'VOR_BASE_URL=nope probe', args: ['probe'], env: { VOR_BASE_URL: 'nope' }, expect: /VOR_BASE_URL: must be an absolute URL/ },
  { name: 'an unknown command', args: ['bogus'], expect: /unknown command 'bogus'/ },
  { name: 'an unknown flag', args: ['probe', '--frobnicate'], expect: /unknown option '--frobnicate'/ },
  { name: 'gate without --for', args: ['gate', '--target', 'https://127.0.0.1:9'], expect: /required option '--for <duration>'/ },
  {
    name: 'verify with an unknown suite',
    args: ['verify', '--suite', 'everything'],
    expect: /--suite <name>' argument 'everything' is invalid/,
  },
  { name: 'a missing config file', args: ['probe', '--config', 'missing.yml'], expect: /--config: file .*missing\.yml does not exist/ },
];

for (const c of usageErrors) {
  test(`bad usage exits 2 with a clear message and no stack: ${c.name}`, { timeout: 30_000 }, async () => {
    const run = await runCli(c.args, { cwd, env: { ...clean, ...c.env } });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, c.expect);
    noStack(run.stderr);
  });
}
