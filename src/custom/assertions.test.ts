import assert from 'node:assert/strict';
import test from 'node:test';
import { httpSnapshot } from '../../test/helpers/http-snapshot.js';
import { evaluateAssertions } from './assertions.js';
import type { Assertion } from './schema.js';

const json = (body: string) => httpSnapshot({ headers: { 'content-type': 'application/json' }, body });

test('a JSON path on a body of null, 0 or false matches nothing: exists:false passes, exists:true fails, nothing throws', () => {
  const absent: Assertion = { type: 'jsonPath', path: '$.balance', exists: false };
  const present: Assertion = { type: 'jsonPath', path: '$.balance', exists: true };
  for (const body of ['null', '0', 'false']) {
    const [none, some] = evaluateAssertions(json(body), [absent, present], undefined);
    assert.equal(none?.passed, true, `${body}: exists false`);
    assert.equal(some?.passed, false, `${body}: exists true`);
    assert.equal(some?.note, 'the path matched nothing');
  }
});

test('a JSON path finds a value and compares it', () => {
  const [equal, below] = evaluateAssertions(
    json('{"balance": 120}'),
    [
      { type: 'jsonPath', path: '$.balance', equals: 120 },
      { type: 'jsonPath', path: '$.balance', lt: 100 },
    ],
    undefined,
  );
  assert.equal(equal?.passed, true);
  assert.equal(below?.passed, false);
});
