/**
 * routes.reachable in a real browser against a single-page-app-like site: a route whose content is
 * drawn by script after the load event is rendered; routes that never show content are not, and
 * they share one bounded wait instead of each waiting in turn.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSmokeOnSite } from '../test/helpers/smoke-site.js';
import { RENDER_WAIT_MS } from './browser/rendered.js';

const page = (body: string) => `<!doctype html><html lang="en"><head><title>spa</title></head><body>${body}</body></html>`;
const LANDING = page('<main><h1>Home</h1></main>');
/** The app's shell: the route's content arrives by script 800 ms after the load event. */
const LATE = page(
  `<div id="app"></div><script>addEventListener('load', () => setTimeout(() => { document.getElementById('app').innerHTML = '<main><h1>Accounts</h1></main>'; }, 800));</script>`,
);
const BLANK = page('<div id="app"></div>');
const BLANK_ROUTES = Array.from({ length: 8 }, (_, i) => `/blank/${i}`);

test(
  'routes.reachable: a route drawn by script after load is rendered; eight blank routes fail it within one shared wait',
  { timeout: 180_000 },
  async () => {
    const results = await runSmokeOnSite(
      (req, res) => {
        const body = req.url === '/' ? LANDING : req.url === '/accounts' ? LATE : req.url?.startsWith('/blank/') ? BLANK : undefined;
        if (body === undefined) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'text/html' }).end(body);
      },
      { grep: 'every route', routes: ['/accounts', ...BLANK_ROUTES], timeoutMs: 60_000, testTimeoutMs: 120_000 },
    );
    const routes = results.find((r) => r.id === 'routes.reachable');
    assert.equal(routes?.status, 'fail', JSON.stringify(routes));
    assert.equal(routes.reason, 'not_rendered');
    const visits = routes.evidence.routes as { route: string; status: number; rendered: boolean }[];
    const rendered = Object.fromEntries(visits.map((v) => [v.route, v.rendered]));
    assert.equal(rendered['/'], true);
    assert.equal(rendered['/accounts'], true, 'the route drawn by script 800 ms after load is rendered');
    for (const route of BLANK_ROUTES) assert.equal(rendered[route], false, route);
    // Each blank route waiting its own 5 s would take 40 s; they share one wait.
    assert.ok(routes.durationMs < 4 * RENDER_WAIT_MS, `the check took ${routes.durationMs} ms for ${BLANK_ROUTES.length} blank routes`);
  },
);
