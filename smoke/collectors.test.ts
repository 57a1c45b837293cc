import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSameOrigin } from './collectors.js';

test('page.broken_assets counts only same-origin requests: scheme, host and port, not a string prefix', () => {
  const origin = 'https://app.example.test';
  const cases = [
    { url: 'https://app.example.test/assets/app.js', same: true },
    { url: 'https://app.example.test', same: true },
    { url: 'https://app.example.test:443/x.css', same: true },
    { url: 'https://app.example.test.attacker.invalid/x.js', same: false },
    { url: 'https://app.example.testing/x.js', same: false },
    { url: 'https://app.example.test:8443/x.js', same: false },
    { url: 'http://app.example.test/x.js', same: false },
    { url: 'data:image/png;base64,AAAA', same: false },
  ] as const;
  for (const c of cases) assert.equal(isSameOrigin(c.url, origin), c.same, c.url);
});
