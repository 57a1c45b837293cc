import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadChecklist } from '../report/checklist.js';
import { CATALOGUE, CHECK_IDS } from './catalogue.js';

const SPEC = new URL('../../spec/checks.md', import.meta.url);
const SHARED_SPEC = new URL('../../../shared/spec/checks.md', import.meta.url);

/** Ids are the backticked first cell of a table row in checks.md. */
function specIds(markdown: string): string[] {
  return [...markdown.matchAll(/^\|\s*`([a-z0-9_]+(?:\.[a-z0-9_]+)+)`\s*\|/gm)].map((m) => m[1] ?? '');
}

test('every check id of checks.md has a catalogue entry', () => {
  const ids = specIds(readFileSync(SPEC, 'utf8'));
  assert.ok(ids.includes('rollback.health_failures'), 'the rollback triggers are parsed too');
  assert.ok(ids.length >= 50, `expected the spec's ~57 ids, parsed ${ids.length}`);
  const missing = ids.filter((id) => !CHECK_IDS.includes(id as never));
  assert.deepEqual(missing, []);
});

test('every catalogue id is in checks.md, except the documented load.* additions', () => {
  const ids = new Set(specIds(readFileSync(SPEC, 'utf8')));
  const extra = CHECK_IDS.filter((id) => !ids.has(id) && !id.startsWith('load.'));
  assert.deepEqual(extra, []);
});

test('the repository copy of checks.md matches the shared spec when it is present', { skip: !existsSync(SHARED_SPEC) }, () => {
  assert.deepEqual(specIds(readFileSync(SPEC, 'utf8')), specIds(readFileSync(SHARED_SPEC, 'utf8')));
});

test('catalogue ids follow area.name in lower snake case', () => {
  for (const id of CHECK_IDS) assert.match(id, /^[a-z]+(\.[a-z0-9_]+)+$/);
});

test('every checklist item named by the catalogue exists in the production checklist', () => {
  const items = new Set(loadChecklist().flatMap((s) => s.items.map((i) => i.key)));
  for (const id of CHECK_IDS) {
    assert.ok(CATALOGUE[id].checklist.length > 0, `${id} names no checklist item`);
    for (const item of CATALOGUE[id].checklist) assert.ok(items.has(item), `${id} names unknown checklist item "${item}"`);
  }
});

test('every entry has a remediation line', () => {
  for (const id of CHECK_IDS) assert.ok(CATALOGUE[id].remediation.length > 10, id);
});
