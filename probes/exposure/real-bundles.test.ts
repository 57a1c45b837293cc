/**
 * False positives: real minified bundles shipped in node_modules (a crypto library with PEM and key
 * handling among them) hold no secret and no test credential; a finding there would be noise on
 * every site that ships them.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { evaluateSecretsInBundle, evaluateTestKeys } from './bundle.js';
import { findSecretsInCode, findTestKeys } from './secrets.js';

const BUNDLES = [
  'node-forge/dist/forge.min.js',
  'node-forge/dist/prime.worker.min.js',
  'js-yaml/dist/js-yaml.min.js',
  'pako/dist/pako.min.js',
  'ajv/dist/ajv.min.js',
  'xmlbuilder2/lib/xmlbuilder2.min.js',
  'esquery/dist/esquery.min.js',
  'json5/dist/index.min.js',
  'glob/dist/esm/index.min.js',
];

const nodeModules = fileURLToPath(new URL('../../node_modules/', import.meta.url));
const found = BUNDLES.map((file) => path.join(nodeModules, file)).filter((file) => existsSync(file));

test('enough real minified bundles are installed to mean something', () => {
  assert.ok(found.length >= 5, `found only ${found.join(', ')}`);
});

for (const file of found) {
  test(`no secret and no test key in ${path.relative(nodeModules, file)}`, async () => {
    const code = readFileSync(file, 'utf8');
    assert.deepEqual(await findSecretsInCode(code), []);
    assert.deepEqual(findTestKeys(code), []);
  });
}

test('the bundle checks pass on all of them together, as a production page shipping them would', async () => {
  const scripts = found.map((file) => ({
    url: `https://a.test/assets/${path.basename(file)}`,
    body: readFileSync(file, 'utf8'),
    truncated: false,
    headers: {},
  }));
  const started = performance.now();
  const secrets = await evaluateSecretsInBundle(scripts);
  assert.equal(secrets.status, 'pass', secrets.message);
  assert.equal(evaluateTestKeys(scripts, 'production').status, 'pass');
  const bytes = scripts.reduce((sum, s) => sum + s.body.length, 0);
  assert.ok(performance.now() - started < 10_000, `${bytes} bytes took ${performance.now() - started} ms`);
});
