/** The HTML routes: public pages, the signed-in pages, sitemap/robots, and the exposed files the exposure faults serve. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authOf, ensureCsrfCookie } from '../auth.js';
import type { User } from '../db.js';
import { redirect, sendHtml, sendText } from '../http.js';
import * as pages from '../pages.js';
import { allowWidgets } from '../security-headers.js';
import type { TargetState } from '../state.js';

const PRIVATE_PAGES = ['/dashboard', '/link-bank', '/billing', '/settings'];
const GIT_CONFIG =
  '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:vor/vor-web.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/main\n';

export function pageContext(state: TargetState, user?: User, scripts?: string[]): pages.PageContext {
  const set = state.assetSet();
  return { faults: state.faults, assets: set, ...(user === undefined ? {} : { user }), ...(scripts === undefined ? {} : { scripts }) };
}

export function sendErrorPage(state: TargetState, res: ServerResponse, status: number): void {
  sendHtml(res, status, pages.errorPage(pageContext(state)), 'no-store');
}

export function handlePage(state: TargetState, req: IncomingMessage, res: ServerResponse, url: URL, cookies: Map<string, string>): void {
  const path = url.pathname;
  const f = state.faults;
  const ctx = (): pages.PageContext => pageContext(state);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendHtml(res, 405, pages.simplePage(ctx(), 'Method not allowed', '<h1>Method not allowed</h1>'));
    return;
  }
  if (path === '/') return sendHtml(res, 200, pages.landingPage(ctx()));
  if (path === '/privacy') return sendHtml(res, 200, pages.simplePage(ctx(), 'Privacy policy', pages.PRIVACY_HTML));
  if (path === '/terms') return sendHtml(res, 200, pages.simplePage(ctx(), 'Terms of service', pages.TERMS_HTML));
  if (path === '/pricing') return sendHtml(res, 200, pages.simplePage(ctx(), 'Pricing', pages.PRICING_HTML));
  if (path === '/about') {
    if (f.route_broken) return sendErrorPage(state, res, 500);
    return sendHtml(res, 200, pages.simplePage(ctx(), 'About', pages.ABOUT_HTML));
  }
  if (path === '/sitemap.xml')
    return sendText(res, 'application/xml; charset=utf-8', pages.sitemapXml(state.baseUrl), 'public, max-age=300');
  if (path === '/robots.txt') {
    return sendText(
      res,
      'text/plain; charset=utf-8',
      `User-agent: *\nDisallow: /api/\nSitemap: ${state.baseUrl}/sitemap.xml\n`,
      'public, max-age=300',
    );
  }
  if (path === '/.env' && f.expose_env_file) {
    const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
    return sendText(
      res,
      'text/plain; charset=utf-8',
      `DATABASE_URL=postgres://vor:${hex(12)}@db.internal:5432/vor\nSECRET_KEY=${hex(32)}\nNODE_ENV=production\n`,
    );
  }
  if (f.expose_git_config && (path === '/.git/config' || path === '/.git/HEAD')) {
    return sendText(res, 'text/plain; charset=utf-8', path === '/.git/HEAD' ? 'ref: refs/heads/main\n' : GIT_CONFIG);
  }
  const auth = authOf(state, req, cookies);
  if (path === '/login') {
    if (auth !== undefined && url.searchParams.get('logged_out') === null) return redirect(res, '/dashboard');
    const notice = url.searchParams.has('logged_out') ? 'You have been logged out.' : undefined;
    return sendHtml(res, 200, pages.loginPage(ctx(), notice), 'no-store');
  }
  if (path === '/signup') return sendHtml(res, 200, pages.signupPage(ctx()), 'no-store');
  if (!PRIVATE_PAGES.includes(path)) return sendHtml(res, 404, pages.notFoundPage(ctx()));
  if (auth === undefined) return redirect(res, `/login?next=${encodeURIComponent(path)}`);
  const csrfToken = ensureCsrfCookie(res, cookies);
  handlePrivatePage(state, res, url, auth.user, csrfToken);
}

function handlePrivatePage(state: TargetState, res: ServerResponse, url: URL, user: User, csrfToken: string): void {
  const f = state.faults;
  const path = url.pathname;
  if (path === '/dashboard') {
    const accounts = f.dashboard_empty ? [] : state.store.accounts(user.id);
    const txs = f.dashboard_empty ? [] : state.store.transactions(user.id);
    const linked = url.searchParams.get('linked');
    const notice =
      linked !== null ? 'Bank account linked.' : url.searchParams.has('welcome') ? 'Welcome to VÖR! Your account is ready.' : undefined;
    const ctx = pageContext(state, user, [state.assetSet().dashboard]);
    return sendHtml(res, 200, pages.dashboardPage(ctx, accounts, txs, notice), 'no-store');
  }
  const { plaidOrigin, stripeOrigin } = state.vendors;
  if (path === '/link-bank') {
    allowWidgets(res, f, state.httpUrl, state.vendors);
    const ctx = { ...pageContext(state, user), vendorScripts: [`${plaidOrigin}/link/v2/stable/link-initialize.js`] };
    return sendHtml(res, 200, pages.linkBankPage(ctx), 'no-store');
  }
  if (path === '/billing') {
    allowWidgets(res, f, state.httpUrl, state.vendors);
    const paid = url.searchParams.get('paid');
    const notice = paid === null ? undefined : 'Payment succeeded.';
    const ctx = { ...pageContext(state, user), vendorScripts: [`${stripeOrigin}/v3/`], csrfToken };
    return sendHtml(res, 200, pages.billingPage(ctx, state.store.payments(user.id), notice), 'no-store');
  }
  sendHtml(res, 200, pages.settingsPage(pageContext(state, user)), 'no-store');
}
