import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { reportFatal } from './exit.js';

test('an internal error never prints the run secrets or tokens it quotes', () => {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const code = reportFatal(new Error('POST failed with body {"password":"hunter2-secret"} and Authorization: Bearer abc.def.ghi'), stderr, {
    VOR_TEST_USER_PASSWORD: 'hunter2-secret',
  });
  assert.equal(code, 1);
  assert.doesNotMatch(text, /hunter2-secret|abc\.def\.ghi/);
});
