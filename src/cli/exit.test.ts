import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { configError } from '../config/errors.js';
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

test('a configuration error never prints the credentials of VOR_PROMETHEUS_URL', () => {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const raw = 'https://admin:pw-9731@prom:99999';
  const code = reportFatal(configError('VOR_PROMETHEUS_URL', `"${raw}" is not a Prometheus server URL`), stderr, {
    VOR_PROMETHEUS_URL: raw,
  });
  assert.equal(code, 2);
  assert.match(text, /VOR_PROMETHEUS_URL/);
  assert.doesNotMatch(text, /pw-9731/);
});
