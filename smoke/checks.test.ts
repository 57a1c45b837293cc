import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CATALOGUE } from '../src/core/catalogue.js';
import { checksMatching, SMOKE_CHECK_IDS } from './checks.js';

const here = path.dirname(fileURLToPath(import.meta.url));

test('every browser and flow check of the catalogue is declared by a spec, and no spec declares an unknown id', () => {
  const specs = ['flows', 'browser'].flatMap((dir) =>
    readdirSync(path.join(here, dir))
      .filter((f) => f.endsWith('.spec.ts'))
      .map((f) => readFileSync(path.join(here, dir, f), 'utf8')),
  );
  const declared = new Set(specs.flatMap((source) => [...source.matchAll(/check\('([a-z_.]+)'\)/g)].map((m) => m[1])));
  const expected = Object.entries(CATALOGUE)
    .filter(([, spec]) => spec.area === 'browser' || spec.area === 'flow')
    .map(([id]) => id);
  assert.deepEqual([...declared].sort(), [...expected].sort());
  assert.deepEqual([...SMOKE_CHECK_IDS].sort(), [...expected].sort());
});

test('--grep tags select the documented groups', () => {
  assert.equal(checksMatching(undefined).length, SMOKE_CHECK_IDS.length);
  assert.ok(checksMatching('@compliance').every((id) => id.startsWith('compliance.') || id.startsWith('flow.')));
  assert.ok(checksMatching('@perf').every((id) => id.startsWith('perf.')));
  assert.ok(checksMatching('@critical').includes('flow.login'));
});
