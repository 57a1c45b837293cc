import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measured, visitLandingPage, type LandingVisit } from './browser/landing-visit.js';
import { LandingPage } from './app/pages.js';
import { followLegalLink } from './browser/legal-links.js';
import { useBrowserSite } from '../test/helpers/browser-site.js';
import { SmokeRunSchema } from './run-config.js';

/**
 * The shared first visit that nine checks judge (landing-visit.ts): a part that cannot be measured
 * must fail only the checks that need it. Here a lazy image below the fold never finishes loading
 * once scrolled to, so the images never all complete (perf.images cannot be judged) while the
 * scripts, the placements at first paint, the consent answers and the vitals still are.
 */
const PAGE = `<!doctype html><html lang="en"><head><title>hang</title><script src="/app.js"></script></head>
<body><main><h1>A landing page</h1><div style="height: 3000px"></div>
<img src="/hangs.png" loading="lazy" alt="never arrives" width="10" height="10"></main>
<footer><a href="/legal/privacy">Privacy policy</a> <a href="#" onclick="location.href = '/legal/terms'; return false">Terms of service</a></footer></body></html>`;
const LEGAL = (title: string) => `<!doctype html><html lang="en"><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;
/** A client-rendered page: its heading is drawn by script well after the load event. */
const RENDERED_LATE = (title: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><main id="app"></main>
<script>addEventListener('load', () => setTimeout(() => { document.getElementById('app').innerHTML = '<h1>${title}</h1>'; }, 800));</script></body></html>`;
/** Script-only legal links of another kind: one opens the page in a new tab, one leads nowhere. */
const POPUPS = `<!doctype html><html lang="en"><head><title>popups</title></head><body><main><h1>Another landing page</h1></main>
<footer><a href="#" onclick="window.open('/legal/privacy'); return false">Privacy policy</a> <a href="#" onclick="return false">Terms of service</a></footer></body></html>`;
/** A client-routed landing page: the privacy link pushes an address, the terms link sets a hash route; no h1 until a route draws one. */
const ROUTED = `<!doctype html><html lang="en"><head><title>routed</title></head><body><main id="view"><p>Welcome</p></main>
<footer><a href="#" onclick="history.pushState({}, '', '/legal/spa-privacy'); return false">Privacy policy</a> <a href="#" onclick="location.hash = '#/terms'; return false">Terms of service</a></footer>
<script>const draw = () => { if (location.hash === '#/terms') document.getElementById('view').innerHTML = '<h1>Terms of service</h1>'; };
addEventListener('hashchange', draw); draw();</script></body></html>`;
const NO_CONTENT = '<!doctype html><html lang="en"><head><title>blank</title></head><body><div></div></body></html>';

describe('the shared landing-page visit', () => {
  const site = useBrowserSite((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    else if (req.url === '/popups') res.writeHead(200, { 'content-type': 'text/html' }).end(POPUPS);
    else if (req.url === '/routed') res.writeHead(200, { 'content-type': 'text/html' }).end(ROUTED);
    // The single-page app's server answers its deep link with the app, which draws the page.
    else if (req.url === '/legal/spa-privacy') res.writeHead(200, { 'content-type': 'text/html' }).end(RENDERED_LATE('Privacy policy'));
    // Both legal links redirect; the privacy page then renders by script.
    else if (req.url === '/legal/privacy') res.writeHead(301, { location: '/legal/privacy-policy' }).end();
    else if (req.url === '/legal/privacy-policy') res.writeHead(200, { 'content-type': 'text/html' }).end(RENDERED_LATE('Privacy policy'));
    else if (req.url === '/legal/terms') res.writeHead(302, { location: '/legal/terms-2026' }).end();
    else if (req.url === '/legal/terms-2026') res.writeHead(200, { 'content-type': 'text/html' }).end(LEGAL('Terms of service'));
    else if (req.url === '/legal/blank') res.writeHead(200, { 'content-type': 'text/html' }).end(NO_CONTENT);
    else if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end('window.loaded = true;');
    else if (req.url === '/hangs.png')
      res.writeHead(200, { 'content-type': 'image/png' }); // headers, then nothing
    else res.writeHead(404).end();
  });

  let visit: LandingVisit | undefined;
  // The run file's paths are required by the schema; this test writes none of them.
  const smokeRun = () =>
    SmokeRunSchema.parse({
      baseUrl: site.baseUrl,
      apiUrl: site.baseUrl,
      loginUrl: `${site.baseUrl}/api/auth/login`,
      budgets: { lcpFailMs: 1_000, lcpWarnMs: 500 },
      outputDir: '/tmp',
      resultsFile: '/tmp/results.json',
      reportDir: '/tmp',
      authFile: '/tmp/auth.json',
      chromium: { args: [] },
    });

  it(
    'an image that never loads is named as unfinished, not measured; the other checks keep their evidence',
    { timeout: 90_000 },
    async () => {
      const visited = await visitLandingPage(site.browser, smokeRun());
      visit = visited;

      assert.deepEqual(visited.unfinished, { scripts: [], images: ['/hangs.png'] });
      assert.deepEqual(measured(visited.images), [], 'an image whose body never ended has no size to judge');
      assert.deepEqual(
        visited.scripts.map((s) => s.url),
        ['/app.js'],
      );
      assert.deepEqual(
        visited.placementsAtLoad.map((p) => p.src),
        ['/hangs.png'],
      );
      assert.equal(visited.consentBanner.visible, false);
      const beforeConsent = measured(visited.beforeConsent);
      assert.ok(beforeConsent.requests.some((url) => url.endsWith('/app.js')));
      assert.ok(measured(visited.vitals).lcpMs !== undefined, 'the vitals were read');
      assert.equal(visited.finalUrl, `${site.baseUrl}/`);
      assert.deepEqual(measured(visited.legalLinks.privacy), { linkText: 'Privacy policy', href: '/legal/privacy' });
      assert.deepEqual(measured(visited.legalLinks.terms), { linkText: 'Terms of service', href: '#' });
    },
  );

  it(
    'the legal links it read are followed through redirects to their final answer: a plain link by its address (to a page rendered late by script), one only script can follow by a click',
    { timeout: 60_000 },
    async () => {
      const read = visit;
      assert.ok(read !== undefined, 'the visit ran');
      const run = smokeRun();
      await site.inNewContext(async (context) => {
        const privacyPage = new LandingPage(await context.newPage(), run.app);
        const privacy = await followLegalLink(privacyPage, privacyPage.privacyLink, read, measured(read.legalLinks.privacy));
        assert.deepEqual(privacy, { linkText: 'Privacy policy', href: '/legal/privacy', status: 200, rendered: true });
        assert.equal(privacyPage.page.url(), `${site.baseUrl}/legal/privacy-policy`);
        const termsPage = new LandingPage(await context.newPage(), run.app);
        const terms = await followLegalLink(termsPage, termsPage.termsLink, read, measured(read.legalLinks.terms));
        assert.deepEqual(terms, { linkText: 'Terms of service', href: '#', status: 200, rendered: true });
        assert.equal(termsPage.page.url(), `${site.baseUrl}/legal/terms-2026`, 'the script-only link was clicked on the landing page');

        // And a page that answers 200 but never shows a heading is not rendered, after a bounded wait.
        const blankPage = new LandingPage(await context.newPage(), run.app);
        const started = performance.now();
        const blank = await followLegalLink(blankPage, blankPage.privacyLink, read, { linkText: 'Privacy policy', href: '/legal/blank' });
        assert.deepEqual(blank, { linkText: 'Privacy policy', href: '/legal/blank', status: 200, rendered: false });
        assert.ok(performance.now() - started < 30_000, 'the wait for a heading is bounded');
      });
    },
  );

  it(
    'a script-only link that opens a new tab is judged in that tab (then closed); one that leads nowhere answered nothing, after a bounded wait',
    { timeout: 60_000 },
    async () => {
      assert.ok(visit !== undefined, 'the visit ran');
      const run = smokeRun();
      const app = { ...run.app, pages: { ...run.app.pages, landing: '/popups' } };
      const popups = { ...visit, finalUrl: `${site.baseUrl}/popups` };
      await site.inNewContext(async (context) => {
        const privacyPage = new LandingPage(await context.newPage(), app);
        const privacy = await followLegalLink(privacyPage, privacyPage.privacyLink, popups, { linkText: 'Privacy policy', href: '#' });
        assert.deepEqual(privacy, { linkText: 'Privacy policy', href: '#', status: 200, rendered: true });
        assert.equal(privacyPage.page.url(), `${site.baseUrl}/popups`, 'the landing tab stayed where it was');
        assert.equal(context.pages().length, 1, 'the tab the link opened was closed');

        const termsPage = new LandingPage(await context.newPage(), app);
        const started = performance.now();
        const terms = await followLegalLink(termsPage, termsPage.termsLink, popups, { linkText: 'Terms of service', href: '#' }, 1_500);
        assert.deepEqual(terms, { linkText: 'Terms of service', href: '#', status: null });
        assert.ok(performance.now() - started < 15_000, 'the wait for a click to lead somewhere is bounded');
      });
    },
  );

  it(
    'a script-only link a client-side router follows (pushState, a hash route) is judged at the address it shows, loaded afresh',
    { timeout: 60_000 },
    async () => {
      assert.ok(visit !== undefined, 'the visit ran');
      const run = smokeRun();
      const app = { ...run.app, pages: { ...run.app.pages, landing: '/routed' } };
      const routed = { ...visit, finalUrl: `${site.baseUrl}/routed` };
      await site.inNewContext(async (context) => {
        const privacyPage = new LandingPage(await context.newPage(), app);
        const privacy = await followLegalLink(privacyPage, privacyPage.privacyLink, routed, { linkText: 'Privacy policy', href: '#' });
        assert.deepEqual(privacy, { linkText: 'Privacy policy', href: '#', status: 200, rendered: true });
        assert.equal(privacyPage.page.url(), `${site.baseUrl}/legal/spa-privacy`);

        const termsPage = new LandingPage(await context.newPage(), app);
        const terms = await followLegalLink(termsPage, termsPage.termsLink, routed, { linkText: 'Terms of service', href: '#' });
        assert.deepEqual(terms, { linkText: 'Terms of service', href: '#', status: 200, rendered: true });
        assert.equal(termsPage.page.url(), `${site.baseUrl}/routed#/terms`);
      });
    },
  );
});
