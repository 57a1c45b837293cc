import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { scrubArtifacts } from './scrub-artifacts.js';
import { harvestSecrets, scrubText } from './scrub-text.js';

const SESSION = 's3ss10n-c00kie-value-4f2a9b';
const PASSWORD = 'Planted-Password-7731!';

test('harvestSecrets finds cookie, set-cookie and authorization values and token fields by position', () => {
  const network = JSON.stringify({
    request: {
      headers: [
        { name: 'Cookie', value: `vor_session=${SESSION}; vor_csrf=csrf-token-123456` },
        { name: 'Accept', value: 'text/html-long-value' },
      ],
    },
    response: {
      headers: [{ name: 'set-cookie', value: 'vor_session=another-session-999; Path=/; HttpOnly' }],
      body: '{"accessToken":"opaque-token-abcdef"}',
    },
  });
  const found = harvestSecrets(network);
  for (const secret of [SESSION, 'csrf-token-123456', 'another-session-999', 'opaque-token-abcdef']) assert.ok(found.has(secret), secret);
  assert.ok(!found.has('text/html-long-value'));
});

test('scrubText masks literals, JWTs and throwaway passwords', () => {
  const text = `fill ${PASSWORD} eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig vor-fresh-0123456789abcdef01234567`;
  const out = scrubText(text, [PASSWORD]);
  assert.ok(!out.includes(PASSWORD) && !out.includes('eyJhbGci') && !out.includes('vor-fresh-0123'), out);
});

test('scrubArtifacts rewrites secrets inside trace zips and the HTML report data, and deletes binaries that hold one', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vor-scrub-'));
  try {
    const trace = zipSync({
      'trace.network': strToU8(JSON.stringify({ headers: [{ name: 'cookie', value: `vor_session=${SESSION}` }] })),
      'trace.trace': strToU8(JSON.stringify({ method: 'fill', params: { value: PASSWORD } })),
      'resources/page.html': strToU8(`<p>${SESSION}</p>`),
    });
    await writeFile(path.join(dir, 'trace.zip'), trace);
    const reportData = Buffer.from(zipSync({ 'report.json': strToU8(`{"error":"${PASSWORD}"}`) })).toString('base64');
    await writeFile(
      path.join(dir, 'index.html'),
      `<html><template id="playwrightReportBase64">data:application/zip;base64,${reportData}</template></html>`,
    );
    await writeFile(path.join(dir, 'shot.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), Buffer.from(SESSION)]));

    const report = await scrubArtifacts([dir], [PASSWORD]);

    const entries = unzipSync(await readFile(path.join(dir, 'trace.zip')));
    for (const [name, content] of Object.entries(entries)) {
      assert.ok(!strFromU8(content).includes(SESSION) && !strFromU8(content).includes(PASSWORD), name);
    }
    const html = await readFile(path.join(dir, 'index.html'), 'utf8');
    const embedded = /base64,([^<]*)</.exec(html)?.[1] ?? '';
    assert.ok(!strFromU8(unzipSync(Buffer.from(embedded, 'base64'))['report.json']!).includes(PASSWORD));
    assert.deepEqual(report.removed, [path.join(dir, 'shot.png')]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('scrubArtifacts masks short, quoted and word passwords in every encoding without corrupting other text', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vor-scrub-'));
  const passwords = ['abc', 'q"\\', 'test'];
  try {
    const lines = passwords.map((password) =>
      JSON.stringify({
        type: 'before',
        method: 'fill',
        params: { selector: 'getByLabel("Password")', value: password },
        postData: JSON.stringify({ email: 'qa@vor.test', password }),
        form: `email=qa%40vor.test&password=${encodeURIComponent(password)}`,
        headers: [{ name: 'authorization', value: `Basic ${Buffer.from(`qa@vor.test:${password}`).toString('base64')}` }],
      }),
    );
    const note = 'the test user qa@vor.test; abcdef; testing';
    await writeFile(path.join(dir, 'trace.zip'), zipSync({ 'trace.trace': strToU8([...lines, JSON.stringify({ note })].join('\n')) }));

    await scrubArtifacts([dir], passwords);

    const text = strFromU8(unzipSync(await readFile(path.join(dir, 'trace.zip')))['trace.trace']!);
    for (const password of passwords) {
      const escaped = JSON.stringify(password);
      for (const form of [escaped, JSON.stringify(escaped).slice(1, -1), `=${encodeURIComponent(password)}`])
        assert.ok(!text.includes(form), `${form} survives`);
      assert.ok(!text.includes(Buffer.from(`qa@vor.test:${password}`).toString('base64')), `${password} in Basic credentials`);
    }
    assert.ok(text.includes(note), 'unrelated text is intact');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('scrubArtifacts drops a trace whose binary entry (a windows-1252 page, a protobuf body) holds a secret, and keeps a clean one', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vor-scrub-'));
  try {
    // 0xE9 is "é" in windows-1252 and no valid UTF-8: the entry is binary to the scrubber.
    const page = Buffer.concat([Buffer.from('<p>caf\xe9 ', 'latin1'), Buffer.from(`session=${SESSION}</p>`)]);
    const protobuf = Buffer.concat([Buffer.from([0x0a, 0x00, 0x12]), Buffer.from(PASSWORD)]);
    const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]);
    await writeFile(path.join(dir, 'page.zip'), zipSync({ 'trace.trace': strToU8('{}'), 'resources/page.html': page }));
    await writeFile(path.join(dir, 'body.zip'), zipSync({ 'resources/body.bin': protobuf }));
    await writeFile(
      path.join(dir, 'clean.zip'),
      zipSync({ 'trace.trace': strToU8(`{"cookie":"vor_session=${SESSION}"}`), 'resources/shot.png': image }),
    );

    const report = await scrubArtifacts([dir], [PASSWORD, SESSION]);

    const dropped = Object.fromEntries(report.dropped.map((d) => [path.basename(d.file), d.reason]));
    assert.deepEqual(dropped, { 'page.zip': 'unscrubbable', 'body.zip': 'unscrubbable' });
    assert.ok(!existsSync(path.join(dir, 'page.zip')) && !existsSync(path.join(dir, 'body.zip')));
    const kept = unzipSync(await readFile(path.join(dir, 'clean.zip')));
    assert.deepEqual(Buffer.from(kept['resources/shot.png']!), image);
    assert.ok(!strFromU8(kept['trace.trace']!).includes(SESSION));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
