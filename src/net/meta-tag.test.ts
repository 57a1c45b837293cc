import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metaContent } from './meta-tag.js';

test('metaContent finds the named tag whatever the attribute order and quotes', () => {
  assert.equal(metaContent('<meta charset="utf-8"><meta name="csrf-token" content="abc">', 'csrf-token'), 'abc');
  assert.equal(metaContent("<META content='x1' NAME='csrf-token'>", 'csrf-token'), 'x1');
  assert.equal(metaContent('<meta name="description" content="no">', 'csrf-token'), undefined);
  assert.equal(metaContent('<meta name="csrf-token">', 'csrf-token'), undefined);
});
