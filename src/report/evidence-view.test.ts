import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evidenceBlocks, parsePlaywrightError } from './evidence-view.js';

test('a Playwright error splits into headline, expected/received and the call log, without colour codes', () => {
  const view = parsePlaywrightError(
    '\u001b[31mError: expect(page).toHaveURL(expected) failed\u001b[39m\n\nExpected pattern: /\\/dashboard/\nReceived string: "https://t/login"\nTimeout: 15000ms\n\nCall log:\n  - Expect "toHaveURL" with timeout 15000ms\n  -   9 × unexpected value "https://t/login"\n',
  );
  assert.equal(view.headline, 'expect(page).toHaveURL(expected) failed');
  assert.deepEqual(view.details, [
    { key: 'Expected pattern', value: '/\\/dashboard/' },
    { key: 'Received string', value: '"https://t/login"' },
    { key: 'Timeout', value: '15000ms' },
  ]);
  assert.deepEqual(view.callLog, ['Expect "toHaveURL" with timeout 15000ms', '9 × unexpected value "https://t/login"']);
});

test('records become tables, lists stay lists, flat values join one key/value table', () => {
  const blocks = evidenceBlocks({
    url: 'https://t/api/auth/login',
    status: 429,
    statusCounts: { '401': 10, '429': 1 },
    exchanges: [
      { origin: 'null', status: 204, allowOrigin: null },
      { origin: 'https://evil', status: 200, allowCredentials: true },
    ],
    scanned: ['https://t/a.js', 'https://t/b.js'],
    error: "Error: locator.click: Timeout 5000ms exceeded.\nCall log:\n  - waiting for getByRole('button')",
  });
  assert.deepEqual(
    blocks.map((b) => b.kind),
    ['fields', 'fields', 'table', 'list', 'playwright'],
  );
  assert.deepEqual(blocks[0], {
    kind: 'fields',
    rows: [
      { key: 'url', value: 'https://t/api/auth/login' },
      { key: 'status', value: '429' },
    ],
  });
  assert.deepEqual(blocks[2], {
    kind: 'table',
    caption: 'exchanges',
    columns: ['origin', 'status', 'allow origin', 'allow credentials'],
    rows: [
      ['null', '204', '—', ''],
      ['https://evil', '200', '', 'yes'],
    ],
  });
});
