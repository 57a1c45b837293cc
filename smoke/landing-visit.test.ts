import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from '@playwright/test';
import { measured, visitLandingPage, type LandingVisit } from './browser/landing-visit.js';
import { pickChromium } from './chromium.js';
import { SmokeRunSchema } from './run-config.js';

/**
 * The shared first visit that seven checks judge (landing-visit.ts): a part that cannot be measured
 * must fail only the checks that need it. Here a lazy image below the fold never finishes loading
 * once scrolled to, so the images never all complete (perf.images cannot be judged) while the
 * scripts, the placements at first paint, the consent answers and the vitals still are.
 */
const PAGE = `<!doctype html><html lang="en"><head><title>hang</title><script src="/app.js"></script></head>
<body><main><h1>A landing page</h1><div style="height: 3000px"></div>
<img src="/hangs.png" loading="lazy" alt="never arrives" width="10" height="10"></main></body></html>`;

describe('the shared landing-page visit', () => {
  let server: Server;
  let browser: Browser;
  let baseUrl = '';
  const sockets = new Set<Socket>();

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      else if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end('window.loaded = true;');
      else if (req.url === '/hangs.png')
        res.writeHead(200, { 'content-type': 'image/png' }); // headers, then nothing
      else res.writeHead(404).end();
    });
    server.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    const choice = pickChromium(process.env);
    browser = await chromium.launch({
      ...(choice.executablePath === undefined ? {} : { executablePath: choice.executablePath }),
      args: [...choice.args],
      timeout: 30_000,
    });
  });

  after(async () => {
    await browser?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('an image that never loads fails the images part alone; the other checks keep their evidence', { timeout: 90_000 }, async () => {
    const run = SmokeRunSchema.parse({
      baseUrl,
      apiUrl: baseUrl,
      loginUrl: `${baseUrl}/api/auth/login`,
      budgets: { lcpFailMs: 1_000, lcpWarnMs: 500 },
      outputDir: '/tmp',
      resultsFile: '/tmp/results.json',
      reportDir: '/tmp',
      authFile: '/tmp/auth.json',
      chromium: { args: [] },
    });
    const visit: LandingVisit = await visitLandingPage(browser, run);

    assert.ok('error' in visit.images, 'the images part is an error');
    assert.throws(() => measured(visit.images), /Timeout|timed out|toBe/i);
    assert.deepEqual(
      visit.scripts.map((s) => s.url),
      ['/app.js'],
    );
    assert.deepEqual(
      visit.placementsAtLoad.map((p) => p.src),
      ['/hangs.png'],
    );
    assert.equal(visit.consentBanner.visible, false);
    const beforeConsent = measured(visit.beforeConsent);
    assert.ok(beforeConsent.requests.some((url) => url.endsWith('/app.js')));
    assert.ok(measured(visit.vitals).lcpMs !== undefined, 'the vitals were read');
    assert.equal(visit.finalUrl, `${baseUrl}/`);
  });
});
