import { openPage } from '../app/open-page.js';
import { check } from '../checks.js';
import { evaluateRoutes, type RouteVisit } from '../evaluate/page.js';
import { test } from '../fixtures.js';
import { report } from '../outcome.js';
import { contentShown, RENDER_WAIT_MS } from './rendered.js';

const MAX_ROUTES = 30;

test(
  'every route from the route list and the sitemap answers 2xx and renders',
  check('routes.reachable'),
  async ({ page, request, run }, testInfo) => {
    const origin = new URL(run.baseUrl).origin;
    const sitemap = await request.get('/sitemap.xml');
    const fromSitemap = sitemap.ok()
      ? [...(await sitemap.text()).matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/g)]
          .map((m) => m[1] ?? '')
          .filter((url) => url.startsWith(origin))
          .map((url) => new URL(url).pathname)
      : [];
    const routes = [...new Set(['/', ...run.routes, ...fromSitemap])].slice(0, MAX_ROUTES);
    const visits: RouteVisit[] = [];
    let renderWaitLeft = RENDER_WAIT_MS;
    for (const route of routes) {
      try {
        const status = (await openPage(page, route)).response?.status() ?? null;
        const waitStarted = performance.now();
        const rendered = await contentShown(
          page
            .getByRole('main')
            .or(page.getByRole('heading', { level: 1 }))
            .first(),
          status,
          renderWaitLeft,
        );
        // One wait shared by all routes: thirty routes that never render must not take thirty waits.
        renderWaitLeft -= performance.now() - waitStarted;
        visits.push({ route, status, rendered });
      } catch (error) {
        visits.push({ route, status: null, rendered: false, error: (error as Error).message.split('\n')[0] ?? 'failed' });
      }
    }
    await report(testInfo, evaluateRoutes(visits));
  },
);
