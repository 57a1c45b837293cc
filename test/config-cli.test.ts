import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from './helpers/cli.js';

const clean = {
  VOR_BASE_URL: undefined,
  VOR_CONFIG: undefined,
  VOR_TARGET_NAME: undefined,
  VOR_TEST_USER_EMAIL: undefined,
  VOR_TEST_USER_PASSWORD: undefined,
};

const TWO_TARGETS = `targets:
  - { name: staging, baseUrl: 'https://127.0.0.1:1', environment: staging }
  - { name: production, baseUrl: 'https://127.0.0.1:2', production: true }
`;

interface Case {
  readonly name: string;
  readonly config: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  readonly expect: readonly RegExp[];
  readonly notExpect?: RegExp;
}

// Each fails while the configuration is read: before any target starts or any request is sent.
const cases: readonly Case[] = [
  {
    name: 'a locator with two kinds names the app profile field',
    config: 'app:\n  payment:\n    pay: { role: button, label: x }\n',
    args: [],
    expect: [/vor\.yml: app\.payment\.pay: give exactly one of role, label, placeholder, text, testId, title/],
  },
  {
    name: 'a CSS selector instead of a locator names the field and the unknown key',
    config: 'app:\n  signIn:\n    submit: { css: "button.primary" }\n',
    args: [],
    expect: [/vor\.yml: app\.signIn\.submit: Unrecognized key.*css/],
  },
  {
    name: 'a password written where a variable name belongs is refused without being echoed',
    config:
      'targets:\n  - baseUrl: https://127.0.0.1:1\n    users:\n      existing: { emailEnv: QA_EMAIL, passwordEnv: "hunter2 s3cret!" }\n',
    args: [],
    expect: [/targets\.0\.users\.existing\.passwordEnv: must be the NAME of an environment variable/],
    notExpect: /hunter2/,
  },
  {
    name: '--target-name nope names the flag and the valid names',
    config: TWO_TARGETS,
    args: ['--target-name', 'nope'],
    expect: [/--target-name: no target named "nope" in vor\.yml; valid: staging, production/],
  },
  {
    name: '--target with two config targets and no name asks for --target-name',
    config: TWO_TARGETS,
    args: ['--target', 'https://127.0.0.1:3'],
    expect: [/pick one with --target-name NAME/],
    notExpect: /needs a target/,
  },
];

// The cases are independent child processes: run them side by side.
describe('configuration errors through the real CLI', { concurrency: 3 }, () => {
  for (const c of cases) {
    test(`probe --config: ${c.name}; exit 2 before any traffic`, { timeout: 30_000 }, async () => {
      const cwd = mkdtempSync(path.join(tmpdir(), 'vor-config-cli-'));
      writeFileSync(path.join(cwd, 'vor.yml'), c.config);
      const run = await runCli(['probe', '--config', 'vor.yml', ...c.args], { cwd, env: { ...clean, ...c.env } });
      assert.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr, /configuration error/);
      for (const expected of c.expect) assert.match(run.stderr, expected);
      if (c.notExpect !== undefined) assert.doesNotMatch(run.stderr + run.stdout, c.notExpect);
      assert.doesNotMatch(run.stderr, /started the embedded reference target/);
      assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
      assert.equal(run.stdout, '', 'no results: nothing ran');
    });
  }
});
