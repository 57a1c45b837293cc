import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createRedactor } from '../core/redact.js';
import { ConfigError } from './errors.js';
import { resolveConfig, type TargetFlags } from './resolve.js';

const resolve = (flags: TargetFlags, env: Record<string, string> = {}, cwd = mkdtempSync(path.join(tmpdir(), 'vor-urlcred-'))) =>
  resolveConfig({ flags, env, cwd });

test('credentials in --target are stripped from every URL and kept only as secrets to mask', () => {
  const config = resolve({ target: 'https://qa:s3cr%22t%5Cpw@127.0.0.1:8443', api: 'https://svc:tok3n@127.0.0.1:8443/api' });
  const [target] = config.targets;
  assert.equal(target?.baseUrl, 'https://127.0.0.1:8443');
  assert.equal(target?.apiUrl, 'https://127.0.0.1:8443/api');
  assert.ok(!JSON.stringify(config.targets).includes('s3cr'), 'no password left in the targets');
  // An echo of the password, decoded or not, is masked in anything the run writes.
  const redact = createRedactor(config.secrets).string;
  for (const echoed of ['password s3cr"t\\pw rejected', 'password s3cr%22t%5Cpw rejected', '{"given":"tok3n"}', 'Basic cXE6czNjciJ0XHB3'])
    assert.ok(!/s3cr|tok3n|cXE6czNjciJ0XHB3/.test(redact(echoed)), redact(echoed));
});

test('credentials in a config file URL are stripped too', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'vor-urlcred-'));
  writeFileSync(
    path.join(cwd, 'vor.yml'),
    'targets:\n  - baseUrl: https://deploy:hunter2@app.example\n    httpUrl: http://deploy:hunter2@app.example\n',
  );
  const config = resolve({ config: 'vor.yml' }, {}, cwd);
  assert.equal(config.targets[0]?.baseUrl, 'https://app.example');
  assert.equal(config.targets[0]?.httpUrl, 'http://app.example');
  assert.ok(config.secrets.includes('hunter2'));
});

test('a SENTRY_DSN the Sentry SDK would reject is a configuration error that shows only its scheme and host', () => {
  for (const dsn of ['https://not-a-valid-key-s3cret@127.0.0.1:9/1', 'https://s3cret.key@ingest.example/42']) {
    try {
      resolve({}, { SENTRY_DSN: dsn });
      assert.fail(`${dsn} accepted`);
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      const text = error.problems.map((p) => `${p.source}: ${p.message}`).join('\n');
      assert.doesNotMatch(text, /s3cret/);
      assert.match(text, /^SENTRY_DSN: .*\(https, host (127\.0\.0\.1:9|ingest\.example)\)/);
    }
  }
});
