/** Plaid stand-in: the Link SDK, the Link iframe document, and the API an app backend calls. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sdkFile } from './assets.js';
import type { VendorFaults } from './faults.js';
import { documentCsp, embedderOrigin, esc, htmlDocument, readFields, sendAsset, sendHtml, sendJson, type Route } from './http.js';
import { INSTITUTIONS, isLinkToken, SANDBOX_PASSWORD, SANDBOX_USERNAME, type PlaidState } from './state.js';

export const plaidError = (status: number, message: string, code = status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST') => ({
  error_type: status >= 500 ? 'API_ERROR' : 'INVALID_REQUEST',
  error_code: code,
  error_message: message,
  display_message: null,
  request_id: randomUUID(),
});

function linkDocument(linkToken: string, parentOrigin: string): string {
  const institutions = INSTITUTIONS.map(
    (i) =>
      `<li><button type="button" data-institution-id="${esc(i.institution_id)}" data-institution-name="${esc(i.name)}">${esc(i.name)}</button></li>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Plaid Link</title>
<link rel="stylesheet" href="/link/frame.css">
<script src="/link/frame.js" defer></script>
</head>
<body>
<main id="plaid-link" class="pane" data-parent-origin="${esc(parentOrigin)}" data-link-token="${esc(linkToken)}">
<button type="button" class="close" aria-label="Close" data-action="exit">Exit</button>
<section data-screen="requires_consent">
  <h1 tabindex="-1">Connect your bank</h1>
  <p class="muted">This app uses Plaid to connect your bank account. Your credentials are never shared with the app.</p>
  <button type="button" class="primary" data-action="start">Continue</button>
</section>
<section data-screen="select_institution" hidden>
  <h1 tabindex="-1">Select your institution</h1>
  <input type="search" placeholder="Search" aria-label="Search for your institution" data-search autocomplete="off">
  <ul aria-label="Institutions">
${institutions}
  </ul>
  <p class="muted" data-no-results hidden>No results</p>
</section>
<section data-screen="requires_credentials" hidden>
  <h1 tabindex="-1" data-institution-heading>Log in</h1>
  <form data-credentials novalidate>
    <p role="alert" data-credentials-error hidden></p>
    <label for="plaid-username">Username</label>
    <input id="plaid-username" name="username" autocomplete="username">
    <label for="plaid-password">Password</label>
    <input id="plaid-password" name="password" type="password" autocomplete="current-password">
    <button type="submit" class="primary">Submit</button>
  </form>
</section>
<section data-screen="success" hidden>
  <h1 tabindex="-1">Success</h1>
  <p class="muted">Your account has been connected.</p>
  <button type="button" class="primary" data-action="finish">Continue</button>
</section>
</main>
</body>
</html>
`;
}

const errorPage = (status: number, heading: string, detail: string): string =>
  htmlDocument(`Plaid Link: ${heading}`, `<main class="pane"><h1>${esc(heading)}</h1><p>${esc(detail)}</p></main>`, '/link/frame.css');

export function plaidRoutes(origin: string, state: PlaidState, faults: () => VendorFaults): Route {
  const linkPage = (res: ServerResponse, url: URL): void => {
    if (faults().plaidUnavailable) {
      sendHtml(res, 503, errorPage(503, 'Plaid is unavailable', 'Plaid Link could not be loaded. Try again later.'), {
        csp: documentCsp('*'),
        'Retry-After': '30',
      });
      return;
    }
    const parentOrigin = embedderOrigin(url);
    const token = url.searchParams.get('token') ?? '';
    if (parentOrigin === undefined || !isLinkToken(token)) {
      const problem = parentOrigin === undefined ? 'The origin parameter is missing or not an origin.' : 'The link token is not valid.';
      sendHtml(res, 400, errorPage(400, 'Something went wrong', problem), { csp: documentCsp('*') });
      return;
    }
    sendHtml(res, 200, linkDocument(token, parentOrigin), { csp: documentCsp(parentOrigin) });
  };

  /** Called by the Link iframe itself (same origin), never by apps. */
  const credentials = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.headers.origin !== origin) {
      sendJson(res, 403, plaidError(403, 'only Plaid Link may submit credentials', 'FORBIDDEN'));
      return;
    }
    const fields = await readFields(req);
    const institution = INSTITUTIONS.find((i) => i.institution_id === fields.institution_id);
    if (!isLinkToken(fields.link_token ?? '') || institution === undefined) {
      sendJson(res, 400, plaidError(400, 'unknown link token or institution', 'INVALID_FIELD'));
      return;
    }
    const good = fields.username === SANDBOX_USERNAME && fields.password === SANDBOX_PASSWORD;
    if (!good || faults().plaidCredentialsRejected) {
      sendJson(res, 400, {
        ...plaidError(400, 'the provided credentials were not correct', 'INVALID_CREDENTIALS'),
        error_type: 'ITEM_ERROR',
        display_message: 'The credentials were not correct',
      });
      return;
    }
    const linked = state.link(institution);
    sendJson(res, 200, {
      public_token: linked.publicToken,
      institution: linked.institution,
      accounts: linked.accounts,
      link_session_id: randomUUID(),
    });
  };

  const exchange = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const fields = await readFields(req);
    const item = state.exchange(fields.public_token ?? '');
    if (item === undefined) {
      sendJson(res, 400, plaidError(400, 'provided public token is in an invalid format, expired or already used', 'INVALID_PUBLIC_TOKEN'));
      return;
    }
    sendJson(res, 200, {
      access_token: item.accessToken,
      item_id: item.itemId,
      institution: { name: item.institution.name, institution_id: item.institution.institution_id },
      accounts: item.accounts.map((a) => ({ account_id: a.id, name: a.name, mask: a.mask })),
      request_id: randomUUID(),
    });
  };

  const createLinkToken = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    await readFields(req);
    sendJson(res, 200, {
      link_token: state.createLinkToken(),
      expiration: new Date(Date.now() + 4 * 3_600_000).toISOString(),
      request_id: randomUUID(),
    });
  };

  const routes: Record<string, Record<string, (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void>> = {
    '/link/v2/stable/link-initialize.js': { GET: (_req, res) => sendAsset(res, 'js', sdkFile('plaidSdk', origin)) },
    '/link/frame.js': { GET: (_req, res) => sendAsset(res, 'js', sdkFile('plaidFrameJs')) },
    '/link/frame.css': { GET: (_req, res) => sendAsset(res, 'css', sdkFile('plaidCss')) },
    '/link': { GET: (_req, res, url) => linkPage(res, url) },
    '/link/credentials': { POST: credentials },
    '/link/token/create': { POST: createLinkToken },
    '/item/public_token/exchange': { POST: exchange },
  };

  return async (req, res, url) => {
    const byMethod = routes[url.pathname];
    if (byMethod === undefined) {
      sendJson(res, 404, plaidError(404, `no route ${url.pathname}`));
      return;
    }
    const handler = byMethod[req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET')];
    if (handler === undefined) {
      sendJson(res, 405, plaidError(405, `${req.method} not allowed on ${url.pathname}`), { Allow: Object.keys(byMethod).join(', ') });
      return;
    }
    await handler(req, res, url);
  };
}
