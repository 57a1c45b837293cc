import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { request } from '../test/helpers/target.js';
import { CERT_PROFILES, loadLocalCa } from './ca.js';
import {
  applyFaults,
  BOOLEAN_FAULTS,
  defaultFaults,
  FaultListError,
  FAULTS,
  faultsSchema,
  NUMERIC_FAULT_NAMES,
  parseFaultList,
} from './faults.js';
import { runTargetCommand } from './main.js';

describe('fault settings', () => {
  it('every switch has a one-line description and defaults off', () => {
    const d = defaultFaults();
    for (const name of BOOLEAN_FAULTS) {
      assert.equal(d[name], false);
      assert.ok(FAULTS[name].length > 5 && !FAULTS[name].includes('\n'));
    }
    assert.equal(d.latencyMs, 0);
  });
  it('target/README.md documents every fault, and only those', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Fault switches'), readme.indexOf('## Admin API'));
    const documented = [...section.matchAll(/^\| `([A-Za-z0-9_]+)` \|/gm)].map((m) => m[1]);
    const faults = [...BOOLEAN_FAULTS, ...NUMERIC_FAULT_NAMES];
    assert.deepEqual(
      documented.filter((name) => !faults.includes(name as never)),
      [],
      'documented but not a fault',
    );
    assert.deepEqual(
      faults.filter((name) => !documented.includes(name)),
      [],
      'a fault the README does not document',
    );
  });
  it('parses CLI / env lists', () => {
    assert.deepEqual(parseFaultList('no_hsts,cors_reflect_origin,latencyMs=200'), {
      no_hsts: true,
      cors_reflect_origin: true,
      latencyMs: 200,
    });
    assert.deepEqual(parseFaultList(' no_hsts  errorRate=0.25 '), { no_hsts: true, errorRate: 0.25 });
    assert.deepEqual(parseFaultList(''), {});
    assert.deepEqual(parseFaultList(undefined), {});
    assert.throws(() => parseFaultList('no_such_fault'), FaultListError);
    assert.throws(() => parseFaultList('latencyMs'), /needs a number/);
    assert.throws(() => parseFaultList('errorRate=3'), FaultListError);
    assert.throws(() => parseFaultList('no_hsts=maybe'), FaultListError);
  });
  it('replace vs merge', () => {
    const a = applyFaults(defaultFaults(), { no_hsts: true }, 'replace');
    const b = applyFaults(a, { no_coop: true }, 'merge');
    assert.equal(b.no_hsts, true);
    assert.equal(b.no_coop, true);
    const c = applyFaults(b, { no_coop: true }, 'replace');
    assert.equal(c.no_hsts, false);
    assert.throws(() => applyFaults(c, { bogus: true }, 'merge'));
    assert.ok(faultsSchema.safeParse(c).success);
  });
});

describe('local CA', () => {
  it('creates once, reuses from the cache, issues every profile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vor-ca-test-'));
    try {
      const first = loadLocalCa({ dir });
      assert.ok(first.generatedMs > 0);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(join(dir, 'ca-bundle.json')).mode & 0o777, 0o600);
      assert.equal(readFileSync(first.caFile, 'utf8'), first.caPem);
      const root = new X509Certificate(first.caPem);
      assert.ok(root.ca);
      const inter = new X509Certificate(first.intermediatePem);
      assert.ok(inter.verify(root.publicKey));
      for (const profile of CERT_PROFILES) {
        const c = first.issue({ profile });
        const x = new X509Certificate(c.certPem);
        if (profile === 'self_signed') assert.ok(x.verify(x.publicKey));
        else assert.ok(x.verify(inter.publicKey), profile);
        assert.equal(c.chainPem.split('BEGIN CERTIFICATE').length - 1, profile === 'self_signed' || profile === 'incomplete_chain' ? 1 : 2);
      }
      const custom = first.issue({ hosts: ['vor.test'], rsaBits: 3072 });
      assert.ok(new X509Certificate(custom.certPem).checkHost('vor.test'));
      assert.equal(new X509Certificate(custom.certPem).publicKey.asymmetricKeyDetails?.modulusLength, 3072);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('vor-watch target command', () => {
  it('prints how to use it, writes the info file, stops on abort', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vor-target-cmd-'));
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const ac = new AbortController();
    const infoFile = join(dir, 'target.json');
    try {
      const code = runTargetCommand({
        faults: 'no_hsts',
        stdout: out,
        stderr: out,
        env: {},
        signal: ac.signal,
        infoFile,
        onReady: (target) => {
          void (async () => {
            const info = JSON.parse(readFileSync(infoFile, 'utf8')) as { baseUrl: string; caFile: string; adminToken: string };
            assert.equal(info.baseUrl, target.baseUrl);
            assert.equal(statSync(infoFile).mode & 0o777, 0o600);
            const r = await request(`${info.baseUrl}/health`, { ca: readFileSync(info.caFile, 'utf8') });
            assert.equal(r.status, 200);
            assert.equal(r.headers['strict-transport-security'], undefined);
            ac.abort();
          })().catch((e: unknown) => {
            text += `\nFAILED ${String(e)}`;
            ac.abort();
          });
        },
      });
      assert.equal(await code, 0);
      assert.doesNotMatch(text, /FAILED/);
      assert.match(text, /--ca /);
      assert.match(text, /VOR_BASE_URL=https:\/\/127\.0\.0\.1:\d+/);
      assert.match(text, /Authorization: Bearer /);
      assert.match(text, /stopped/);
      assert.throws(() => statSync(infoFile));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('exits 2 on a bad fault list or port', async () => {
    const err = new PassThrough();
    let text = '';
    err.on('data', (d: Buffer) => (text += d.toString()));
    assert.equal(await runTargetCommand({ faults: 'nope', stderr: err, stdout: err, env: {} }), 2);
    assert.equal(await runTargetCommand({ port: 'x', stderr: err, stdout: err, env: {} }), 2);
    assert.match(text, /unknown fault "nope"/);
    assert.match(text, /--port/);
  });
});
