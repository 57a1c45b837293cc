/**
 * A tiny shop on its own loopback HTTPS origin that embeds the vendor stand-ins the way an app does:
 * Plaid Link + token exchange, Stripe Elements + confirmCardPayment, and a redirect to hosted Checkout.
 * Test support for the vendor stand-ins (and for anyone who wants to see the SDKs used).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Agent, request } from 'undici';
import { esc, originOf, type Tls } from './http.js';

export interface HostApp {
  readonly origin: string;
  close(): Promise<void>;
}

export const HOST_PUBLISHABLE_KEY = 'pk_test_' + 'hostapp0000';

const HOST_JS = `(function () {
  'use strict';
  var body = document.body;
  var result = document.getElementById('result');
  if (body.dataset.page === 'plaid') {
    document.getElementById('connect').addEventListener('click', function () {
      var handler = Plaid.create({
        token: body.dataset.linkToken,
        onLoad: function () { body.dataset.plaidLoaded = 'yes'; },
        onSuccess: function (publicToken, metadata) {
          fetch('/api/exchange', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ public_token: publicToken }) })
            .then(function (r) { return r.json(); })
            .then(function (item) {
              result.textContent = item.item_id
                ? 'Linked ' + item.institution.name + ' (' + item.accounts.length + ' accounts, picked ' + metadata.institution.name + ')'
                : 'Exchange failed: ' + item.error_code;
            });
        },
        onExit: function (error, metadata) {
          result.textContent = 'Exited ' + (error ? error.error_code : 'without error') + ' at ' + metadata.status;
        },
      });
      handler.open();
    });
  }
  if (body.dataset.page === 'elements') {
    var stripe = Stripe(body.dataset.publishableKey);
    var elements = stripe.elements();
    var number = elements.create('cardNumber');
    number.mount('#card-number');
    elements.create('cardExpiry').mount('#card-expiry');
    elements.create('cardCvc').mount(document.getElementById('card-cvc'));
    document.getElementById('pay').addEventListener('click', function () {
      stripe.confirmCardPayment(body.dataset.clientSecret, { payment_method: { card: number } }).then(function (r) {
        result.textContent = r.error ? 'Payment failed: ' + r.error.code + ': ' + r.error.message : 'Payment ' + r.paymentIntent.status + ' ' + r.paymentIntent.id;
      });
    });
  }
})();
`;

export async function startHostApp(options: {
  host?: string;
  tls: Tls;
  /** CA the host's backend trusts when it calls the vendors' APIs. */
  ca: string;
  plaidOrigin: string;
  stripeOrigin: string;
}): Promise<HostApp> {
  const { plaidOrigin, stripeOrigin } = options;
  const agent = new Agent({ connect: { ca: options.ca } });
  const sockets = new Set<Socket>();

  const callVendor = async (
    url: string,
    fields: Record<string, string>,
    form = false,
  ): Promise<{ status: number; json: Record<string, unknown> }> => {
    const answer = await request(url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
      body: form ? new URLSearchParams(fields).toString() : JSON.stringify(fields),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    return { status: answer.statusCode, json: (await answer.body.json()) as Record<string, unknown> };
  };

  const csp = [
    "default-src 'self'",
    `script-src 'self' ${plaidOrigin} ${stripeOrigin}`,
    `frame-src ${plaidOrigin} ${stripeOrigin}`,
    `connect-src 'self' ${stripeOrigin}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

  const page = (res: ServerResponse, title: string, attrs: Record<string, string>, content: string, scripts: string[] = []): void => {
    const data = Object.entries(attrs)
      .map(([k, v]) => ` data-${k}="${esc(v)}"`)
      .join('');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
${[...scripts, '/host.js'].map((s) => `<script src="${esc(s)}" defer></script>`).join('\n')}
</head><body${data}><h1>${esc(title)}</h1>${content}<p id="result" role="status"></p></body></html>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' });
    res.end(html);
  };

  const readJson = async (req: IncomingMessage): Promise<Record<string, string>> => {
    let text = '';
    for await (const chunk of req as AsyncIterable<Buffer>) text += chunk.toString('utf8');
    return JSON.parse(text === '' ? '{}' : text) as Record<string, string>;
  };

  let origin = '';
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /host.js':
        res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(HOST_JS);
        return;
      case 'GET /plaid': {
        const { json } = await callVendor(`${plaidOrigin}/link/token/create`, {});
        page(
          res,
          'Connect a bank',
          { page: 'plaid', 'link-token': String(json.link_token) },
          '<button type="button" id="connect">Connect bank</button>',
          [`${plaidOrigin}/link/v2/stable/link-initialize.js`],
        );
        return;
      }
      case 'POST /api/exchange': {
        const { public_token: publicToken = '' } = await readJson(req);
        const { status, json } = await callVendor(`${plaidOrigin}/item/public_token/exchange`, { public_token: publicToken });
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(json));
        return;
      }
      case 'GET /elements': {
        const { json } = await callVendor(
          `${stripeOrigin}/v1/payment_intents`,
          { amount: '1250', currency: 'usd', description: 'Plan' },
          true,
        );
        page(
          res,
          'Pay by card',
          {
            page: 'elements',
            'publishable-key': HOST_PUBLISHABLE_KEY,
            'client-secret': String(json.client_secret),
            'payment-intent': String(json.id),
          },
          '<div id="card-number"></div><div id="card-expiry"></div><div id="card-cvc"></div><button type="button" id="pay">Pay now</button>',
          [`${stripeOrigin}/v3/`],
        );
        return;
      }
      case 'GET /checkout': {
        const { json } = await callVendor(
          `${stripeOrigin}/v1/checkout/sessions`,
          {
            amount: '4900',
            currency: 'usd',
            description: 'VÖR Plus <yearly>',
            success_url: `${origin}/done?from=checkout`,
            cancel_url: `${origin}/cart`,
          },
          true,
        );
        res.writeHead(303, { Location: String(json.url), 'Cache-Control': 'no-store' });
        res.end();
        return;
      }
      case 'GET /done':
        page(res, 'Thank you', { page: 'done' }, `<p id="redirect-status">${esc(url.searchParams.get('redirect_status') ?? '')}</p>`);
        return;
      case 'GET /cart':
        page(res, 'Your cart', { page: 'cart' }, '');
        return;
      default:
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(err));
    });
  };
  const server = createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  origin = originOf(host, (server.address() as AddressInfo).port);
  return {
    origin,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      await agent.close();
    },
  };
}
