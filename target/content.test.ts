import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { request, type RawResponse } from '../test/helpers/target.js';
import type { RunningTarget } from './server.js';
import { ApiSession, useTarget } from './test-support.js';

let t!: RunningTarget;
useTarget((running) => (t = running));

const get = (path: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<RawResponse> =>
  request(`${t.baseUrl}${path}`, { ca: t.caPem, headers, timeoutMs });
const landing = async (): Promise<string> => (await get('/')).body;
const scriptsOf = (html: string): string[] => [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1] ?? '');
const imgsOf = (html: string): string[] => [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
const allScripts = async (): Promise<string> => {
  const out: string[] = [];
  for (const s of scriptsOf(await landing())) out.push((await get(s)).body);
  return out.join('\n');
};

describe('exposure', () => {
  it('clean: no /.env, no /.git, no secrets, production keys, no source maps', async () => {
    for (const p of ['/.env', '/.git/config', '/.git/HEAD']) assert.equal((await get(p)).status, 404, p);
    const js = await allScripts();
    assert.doesNotMatch(js, /sk_live_|sk_test_|pk_test_/);
    assert.match(js, /pk_live_[A-Za-z0-9]{24}/);
    assert.match(js, /"plaidEnv": "production"/);
    assert.doesNotMatch(js, /sourceMappingURL/);
    for (const s of scriptsOf(await landing())) assert.equal((await get(`${s}.map`)).status, 404);
  });
  it('expose_env_file', async () => {
    t.setFaults({ expose_env_file: true });
    const r = await get('/.env');
    assert.equal(r.status, 200);
    assert.match(r.body, /^DATABASE_URL=.*\nSECRET_KEY=/m);
  });
  it('expose_git_config', async () => {
    t.setFaults({ expose_git_config: true });
    assert.match((await get('/.git/config')).body, /\[core\]/);
    assert.match((await get('/.git/HEAD')).body, /^ref: refs\/heads\//);
  });
  it('secret_in_bundle', async () => {
    t.setFaults({ secret_in_bundle: true });
    assert.match(await allScripts(), /sk_live_[A-Za-z0-9]{24}/);
  });
  it('test_keys_in_bundle', async () => {
    t.setFaults({ test_keys_in_bundle: true });
    const js = await allScripts();
    assert.match(js, /pk_test_[A-Za-z0-9]{24}/);
    assert.match(js, /"plaidEnv": "sandbox"/);
  });
  it('serve_source_maps', async () => {
    t.setFaults({ serve_source_maps: true });
    for (const s of scriptsOf(await landing())) {
      const body = (await get(s)).body;
      const m = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(body);
      assert.ok(m, s);
      const map = await get(new URL(m[1] ?? '', `${t.baseUrl}${s}`).pathname);
      assert.equal(map.status, 200);
      assert.equal((JSON.parse(map.body) as { version: number }).version, 3);
    }
  });
  it('no committed file holds a live-key-shaped literal', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    assert.ok(files.length > 10);
    for (const e of files) {
      const f = join(e.parentPath, e.name);
      const text = readFileSync(f, 'utf8');
      assert.doesNotMatch(text, /sk_live_[A-Za-z0-9]{8,}|pk_(live|test)_[A-Za-z0-9]{8,}/, f);
    }
  });
});

describe('search / error leaks', () => {
  const search = (q: string): Promise<RawResponse> => get(`/api/search?q=${encodeURIComponent(q)}`);
  it('clean: 200 for words, 400 JSON without leak for injection-shaped input', async () => {
    const ok = await search('bank');
    assert.equal(ok.status, 200);
    assert.ok((JSON.parse(ok.body) as { results: unknown[] }).results.length > 0);
    for (const q of ["'", "1' OR '1'='1", '<script>alert(1)</script>', '"; DROP TABLE users; --']) {
      const r = await search(q);
      assert.equal(r.status, 400, q);
      assert.doesNotMatch(r.body, /SQLITE|syntax error|at .*\(.*:\d+:\d+\)/);
      assert.equal(r.headers['cache-control'], 'no-store');
    }
  });
  it('sql_error_leak: 500 with the SQLite error and a stack trace', async () => {
    t.setFaults({ sql_error_leak: true });
    const r = await search("'");
    assert.equal(r.status, 500);
    assert.match(r.body, /SQLITE_ERROR: near \\"'\\": syntax error/);
    assert.match(r.body, /at .+:\d+:\d+/);
    assert.equal((await search('bank')).status, 200);
  });
  it('search_500: generic 500, no leak', async () => {
    t.setFaults({ search_500: true });
    const r = await search("'");
    assert.equal(r.status, 500);
    assert.doesNotMatch(r.body, /SQLITE|stack|at .+:\d+:\d+/);
  });
});

describe('health', () => {
  it('clean: 200 ok with the database ok', async () => {
    const r = await get('/health');
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body) as { status: string; checks: { database: { status: string } } };
    assert.equal(body.status, 'ok');
    assert.equal(body.checks.database.status, 'ok');
  });
  it('health_503', async () => {
    t.setFaults({ health_503: true });
    assert.equal((await get('/health')).status, 503);
  });
  it('health_dependency_down', async () => {
    t.setFaults({ health_dependency_down: true });
    const r = await get('/health');
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { status: 'fail', checks: { database: { status: 'down' } } });
  });
  it('health_hang never answers (but the rest does)', async () => {
    t.setFaults({ health_hang: true });
    await assert.rejects(get('/health', {}, 800), /timeout/);
    assert.equal((await get('/api')).status, 200);
  });
});

describe('static assets', () => {
  const assetUrls = async (): Promise<string[]> => {
    const html = await landing();
    return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
  };
  it('clean: fingerprinted, immutable 1 year, ETag, compressed per Accept-Encoding, CDN signs', async () => {
    const urls = await assetUrls();
    assert.ok(urls.some((u) => /\.[0-9a-f]{8,}\.js$/.test(u)));
    assert.ok(urls.some((u) => /\.[0-9a-f]{8,}\.css$/.test(u)));
    for (const u of urls) {
      const br = await get(u, { 'Accept-Encoding': 'br, gzip' });
      assert.equal(br.status, 200, u);
      assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable', u);
      assert.ok(br.headers.etag, u);
      assert.equal(br.headers.via, '1.1 vor-edge');
      assert.equal(br.headers['x-cache'], 'HIT');
      assert.ok(Number(br.headers.age) >= 1);
      if (Buffer.byteLength(br.body) > 1024) {
        assert.equal(br.headers['content-encoding'], 'br', u);
        assert.equal((await get(u, { 'Accept-Encoding': 'gzip' })).headers['content-encoding'], 'gzip', u);
      }
      assert.equal((await get(u)).headers['content-encoding'], undefined);
      assert.equal((await get(u, { 'If-None-Match': String(br.headers.etag) })).status, 304);
    }
  });
  it('landing JS stays small (< 100 KB compressed)', async () => {
    let total = 0;
    for (const s of scriptsOf(await landing())) total += (await get(s, { 'Accept-Encoding': 'br' })).wireBytes;
    assert.ok(total < 100_000, String(total));
  });
  it('static_no_store / static_short_cache / static_uncompressed / no_cdn', async () => {
    const js = scriptsOf(await landing()).find((s) => s.includes('/app.')) ?? '';
    t.setFaults({ static_no_store: true });
    assert.equal((await get(js)).headers['cache-control'], 'no-store');
    t.setFaults({ static_short_cache: true });
    assert.equal((await get(js)).headers['cache-control'], 'public, max-age=3600');
    t.setFaults({ static_uncompressed: true });
    assert.equal((await get(js, { 'Accept-Encoding': 'br, gzip' })).headers['content-encoding'], undefined);
    t.setFaults({ no_cdn: true });
    const r = await get(js, { 'Accept-Encoding': 'br' });
    assert.equal(r.headers.via, undefined);
    assert.equal(r.headers['x-cache'], undefined);
    assert.equal(r.headers.age, undefined);
    assert.equal(r.headers['content-encoding'], 'br');
  });
  it('sitemap lists the routes, every route is 200; route_broken breaks one', async () => {
    const sm = await get('/sitemap.xml');
    const routes = [...sm.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1] ?? '').pathname);
    assert.ok(routes.length >= 5);
    for (const r of routes) assert.equal((await get(r)).status, 200, r);
    t.setFaults({ route_broken: true });
    const statuses = await Promise.all(routes.map(async (r) => (await get(r)).status));
    assert.equal(statuses.filter((s) => s === 500).length, 1);
  });
});

describe('landing page faults (HTML level; the browser checks run in smoke)', () => {
  it('clean landing: privacy + terms links, consent banner, lazy below-fold SVGs with sizes, no http: refs', async () => {
    const html = await landing();
    assert.match(html, /href="\/privacy"/);
    assert.match(html, /href="\/terms"/);
    assert.match(html, /id="cookie-banner"/);
    assert.doesNotMatch(html, /<script>|style="/, 'no inline script/style (CSP)');
    assert.doesNotMatch(html, /(src|href)="http:/);
    for (const img of imgsOf(html)) {
      assert.match(img, /width="\d+" height="\d+"/, img);
      assert.match(img, /\.svg"/, img);
    }
    const features = imgsOf(html).filter((i) => /feature-/.test(i));
    assert.equal(features.length, 3);
    for (const i of features) assert.match(i, /loading="lazy"/);
    assert.doesNotMatch(await allScripts(), /"analyticsBeforeConsent": true|"consoleError": true|"slowLcp": true/);
  });
  const cases: [string, (html: string) => Promise<void> | void][] = [
    ['no_consent_banner', (h) => assert.doesNotMatch(h, /id="cookie-banner"/)],
    ['no_privacy_link', (h) => assert.doesNotMatch(h, /href="\/privacy"/)],
    ['no_terms_link', (h) => assert.doesNotMatch(h, /href="\/terms"/)],
    ['image_not_lazy', (h) => assert.equal(imgsOf(h).filter((i) => /feature-/.test(i) && !/loading="lazy"/.test(i)).length, 1)],
    ['image_legacy_format', (h) => assert.ok(imgsOf(h).some((i) => /\.png"/.test(i) && !/width=/.test(i)))],
    ['mixed_content', (h) => assert.ok(imgsOf(h).some((i) => i.includes(`src="${t.httpUrl}/`)))],
    ['slow_lcp', (h) => assert.match(h, /id="hero-slot" data-src=/)],
    [
      'broken_asset',
      async (h) => {
        const refs = [...h.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
        const statuses = await Promise.all(refs.map(async (c) => (await get(c)).status));
        assert.ok(statuses.includes(404));
      },
    ],
    [
      'oversized_image',
      async (h) => {
        const src = /<img src="([^"]*banner-full[^"]*)"/.exec(h)?.[1] ?? '';
        const r = await get(src, { 'Accept-Encoding': 'br, gzip' });
        assert.ok(r.wireBytes > 2_000_000, String(r.wireBytes));
      },
    ],
    [
      'big_bundle',
      async (h) => {
        let total = 0;
        for (const s of scriptsOf(h)) total += (await get(s, { 'Accept-Encoding': 'br, gzip' })).wireBytes;
        assert.ok(total > 400_000, String(total));
      },
    ],
    ['console_error', async () => assert.match(await allScripts(), /"consoleError": true/)],
    ['analytics_before_consent', async () => assert.match(await allScripts(), /"analyticsBeforeConsent": true/)],
  ];
  for (const [fault, check] of cases) {
    it(fault, async () => {
      t.setFaults({ [fault]: true });
      await check(await landing());
    });
  }
  it('the analytics script sets the non-essential _vor_analytics cookie', async () => {
    const r = await get('/assets/analytics.js');
    assert.equal(r.status, 200);
    assert.ok(r.setCookies.some((c) => c.startsWith('_vor_analytics=')));
  });
});

describe('critical flows over the API (the bank-link and payment flows: widgets.test.ts)', () => {
  const signup = (): Promise<ApiSession> => ApiSession.signup(t);
  const anonymous = (): ApiSession => ApiSession.anonymous(t);

  it('signup → dashboard with accounts and transactions; signup_broken; dashboard_empty', async () => {
    const user = await signup();
    const dash = await user.page('/dashboard');
    assert.equal(dash.status, 200);
    assert.match(dash.body, /id="accounts"/);
    assert.match(dash.body, /id="transactions"/);
    t.setFaults({ dashboard_empty: true });
    const empty = await user.page('/dashboard');
    assert.doesNotMatch(empty.body, /data-account-id|data-transaction-id/);
    t.setFaults({ signup_broken: true });
    assert.equal((await anonymous().api('POST', '/auth/signup', { email: 'x-broken@vor.test', password: 'long-enough-pw' })).status, 500);
  });

  it('dashboard_exception: the dashboard script throws', async () => {
    t.setFaults({ dashboard_exception: true });
    const dash = await (await signup()).page('/dashboard');
    const cfg = scriptsOf(dash.body).find((s) => s.includes('/config.')) ?? '';
    assert.match((await get(cfg)).body, /"dashboardException": true/);
  });

  it('login: wrong password refused; login_accepts_wrong_password', async () => {
    const { email } = await signup();
    assert.equal((await anonymous().api('POST', '/auth/login', { email, password: 'nope-nope' })).status, 401);
    t.setFaults({ login_accepts_wrong_password: true });
    assert.equal((await anonymous().api('POST', '/auth/login', { email, password: 'nope-nope' })).status, 200);
  });

  it('export: JSON download with profile and transactions; export_broken', async () => {
    const user = await signup();
    const r = await user.api('GET', '/export');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-disposition']), /attachment/);
    assert.equal((r.json.profile as { email: string }).email, user.email);
    assert.ok((r.json.transactions as unknown[]).length > 0);
    t.setFaults({ export_broken: true });
    assert.equal((await user.api('GET', '/export')).body, '');
  });

  it('deletion: login fails afterwards, export shows nothing; deletion_keeps_login', async () => {
    const a = await signup();
    assert.equal((await a.api('DELETE', '/account', { confirm: 'DELETE' })).status, 200);
    assert.equal((await anonymous().api('POST', '/auth/login', { email: a.email, password: a.password })).status, 401);
    assert.equal((await a.api('GET', '/export')).status, 401);
    t.setFaults({ deletion_keeps_login: true });
    const b = await signup();
    assert.equal((await b.api('DELETE', '/account', { confirm: 'DELETE' })).status, 200);
    assert.equal((await anonymous().api('POST', '/auth/login', { email: b.email, password: b.password })).status, 200);
  });

  it('logout ends the session; logout_keeps_session', async () => {
    const a = await signup();
    const old = a.cookie;
    assert.equal((await a.api('POST', '/auth/logout')).status, 200);
    assert.equal((await ApiSession.anonymous(t, old).api('GET', '/me')).status, 401);
    t.setFaults({ logout_keeps_session: true });
    const b = await signup();
    const oldB = b.cookie;
    assert.equal((await b.api('POST', '/auth/logout')).status, 200);
    assert.equal((await ApiSession.anonymous(t, oldB).api('GET', '/me')).status, 200);
  });
});
