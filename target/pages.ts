/** Server-rendered HTML of the reference target (no inline scripts or styles: CSP stays strict). */
import type { AssetSet } from './assets.js';
import type { Account, Payment, Transaction, User } from './db.js';
import type { Faults } from './faults.js';

export const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const money = (cents: number): string => (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });

export interface PageContext {
  faults: Faults;
  assets: AssetSet;
  user?: User;
  /** Extra scripts after app.js (e.g. dashboard). */
  scripts?: string[];
  /** Third-party SDKs (absolute URLs on the vendors' origins), loaded before the app's own scripts. */
  vendorScripts?: string[];
  /** The CSRF double-submit token, for HTML forms that post. */
  csrfToken?: string;
}

/** Public routes (sitemap.xml). */
export const PUBLIC_ROUTES = ['/', '/about', '/pricing', '/login', '/signup', '/privacy', '/terms'] as const;

function layout(ctx: PageContext, title: string, body: string, options: { landing?: boolean } = {}): string {
  const a = ctx.assets;
  const f = ctx.faults;
  const nav = ctx.user
    ? `<a href="/dashboard">Dashboard</a><a href="/link-bank">Link a bank</a><a href="/billing">Billing</a><a href="/settings">Settings</a>
       <button type="button" class="secondary" data-logout id="logout-button">Log out</button>`
    : `<a href="/pricing">Pricing</a><a href="/login" id="nav-login">Log in</a><a class="button" href="/signup" id="nav-signup">Sign up</a>`;
  const footerLinks = [
    `<a href="/about">About</a>`,
    options.landing && f.no_privacy_link ? '' : `<a href="/privacy" id="privacy-link">Privacy policy</a>`,
    options.landing && f.no_terms_link ? '' : `<a href="/terms" id="terms-link">Terms of service</a>`,
    `<a href="/sitemap.xml">Sitemap</a>`,
  ].join('');
  const banner =
    options.landing && f.no_consent_banner
      ? ''
      : `<div id="cookie-banner" role="dialog" aria-live="polite" aria-label="Cookie consent">
  <p>We use essential cookies to keep you signed in. With your consent we also use analytics cookies to improve VÖR. ${options.landing && f.no_privacy_link ? '' : 'See our <a href="/privacy">privacy policy</a>.'}</p>
  <button type="button" id="cookie-accept">Accept analytics</button>
  <button type="button" class="secondary" id="cookie-reject">Reject</button>
</div>`;
  const scripts = [
    ...(ctx.vendorScripts ?? []),
    a.config,
    a.app,
    ...(options.landing && a.vendor !== undefined ? [a.vendor] : []),
    ...(ctx.scripts ?? []),
  ]
    .map((s) => `<script src="${s}" defer></script>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · VÖR</title>
<meta name="description" content="VÖR: link your bank accounts, see every transaction, pay securely.">
<link rel="icon" href="${a.favicon}" type="image/svg+xml">
<link rel="stylesheet" href="${a.css}">
${scripts}
</head>
<body data-page="${options.landing ? 'landing' : 'page'}">
<header class="site">
  <a href="/" aria-label="VÖR home"><img src="${a.logo}" alt="VÖR" width="96" height="32"></a>
  <nav aria-label="Main">${nav}</nav>
</header>
<main id="main">
${body}
</main>
<footer class="site">${footerLinks}<span>© 2026 VÖR Inc.</span></footer>
${banner}
</body>
</html>
`;
}

export function landingPage(ctx: PageContext): string {
  const a = ctx.assets;
  const f = ctx.faults;
  const hero = f.slow_lcp
    ? `<div id="hero-slot" data-src="${a.hero}"></div>`
    : `<div id="hero-slot"><img id="hero-img" src="${a.hero}" alt="VÖR overview" width="1200" height="520" fetchpriority="high"></div>`;
  const corner: string[] = [];
  if (a.bigImage !== undefined)
    corner.push(`<div class="corner"><img src="${a.bigImage}" alt="Seasonal banner" width="200" height="100"></div>`);
  if (a.legacyImage !== undefined) corner.push(`<span class="badge"><img src="${a.legacyImage}" alt="Secure"></span>`);
  if (f.broken_asset) corner.push(`<span class="badge"><img src="${a.missing}" alt="" width="8" height="8"></span>`);
  if (f.mixed_content) corner.push(`<span class="badge"><img src="${a.mixedImage}" alt="" width="8" height="8"></span>`);
  const features = a.features
    .map((src, i) => {
      const lazy = f.image_not_lazy && i === 0 ? '' : ' loading="lazy" decoding="async"';
      const title = ['Bank linking', 'Insights', 'Payments'][i] ?? 'Feature';
      return `<figure><img src="${src}" alt="${title}" width="360" height="240"${lazy}><figcaption>${title}</figcaption></figure>`;
    })
    .join('\n');
  const body = `<section class="hero">
  ${corner.join('\n  ')}
  <div class="hero-text"><h1>All your money, one calm view</h1>
  <p>VÖR links your bank accounts through Plaid, shows every transaction in one place, and takes payments with Stripe.</p>
  <p><a class="button" href="/signup">Create a free account</a> <a href="/login">or log in</a></p></div>
  ${hero}
</section>
<div class="spacer"><p>Scroll to see what VÖR does.</p></div>
<section class="features" aria-label="Features">
${features}
</section>`;
  return layout(ctx, 'Home', body, { landing: true });
}

export function simplePage(ctx: PageContext, title: string, html: string): string {
  return layout(ctx, title, `<article class="card">${html}</article>`);
}

export const PRIVACY_HTML = `<h1>Privacy policy</h1>
<p>VÖR stores your profile (name, email), the accounts you link and their transactions, and your payments. We never sell your data.</p>
<p>Essential cookies (<code>vor_session</code>, <code>vor_csrf</code>, <code>vor_consent</code>) keep you signed in and protect forms.
Analytics cookies (<code>_vor_analytics</code>) are set only after you accept them in the cookie banner.</p>
<p>You can download all your data from Settings → Export, and delete your account at any time.</p>`;

export const TERMS_HTML = `<h1>Terms of service</h1>
<p>By using VÖR you agree to use it lawfully and keep your credentials secret. Payments are processed by our payment provider;
bank connections by our aggregation provider. This is a reference target for testing and holds no real money.</p>`;

export const ABOUT_HTML = `<h1>About VÖR</h1><p>VÖR is a small personal-finance platform. This instance is the vor-watch reference target.</p>`;

export const PRICING_HTML = `<h1>Pricing</h1><p><strong>Free</strong>: link up to two banks.</p><p><strong>VÖR Pro</strong>: $12.00/month, unlimited banks and exports.</p>`;

export function loginPage(ctx: PageContext, notice?: string): string {
  return layout(
    ctx,
    'Log in',
    `<form class="card" id="login-form" method="post" action="/login" novalidate>
  <h1>Log in</h1>
  ${notice === undefined ? '' : `<p class="ok" id="login-notice">${esc(notice)}</p>`}
  <label for="login-email">Email</label><input id="login-email" name="email" type="email" autocomplete="username" required>
  <label for="login-password">Password</label><input id="login-password" name="password" type="password" autocomplete="current-password" required>
  <p class="error form-error" id="login-error" role="alert" hidden></p>
  <p><button type="submit" id="login-submit">Log in</button></p>
  <p class="muted">No account yet? <a href="/signup">Sign up</a></p>
</form>`,
  );
}

export function signupPage(ctx: PageContext): string {
  return layout(
    ctx,
    'Sign up',
    `<form class="card" id="signup-form" method="post" action="/signup" novalidate>
  <h1>Create your VÖR account</h1>
  <label for="signup-name">Name</label><input id="signup-name" name="name" type="text" autocomplete="name">
  <label for="signup-email">Email</label><input id="signup-email" name="email" type="email" autocomplete="email" required>
  <label for="signup-password">Password</label><input id="signup-password" name="password" type="password" autocomplete="new-password" minlength="8" required>
  <p class="error form-error" id="signup-error" role="alert" hidden></p>
  <p><button type="submit" id="signup-submit">Sign up</button></p>
</form>`,
  );
}

export function dashboardPage(ctx: PageContext, accounts: Account[], txs: Transaction[], notice?: string): string {
  const user = ctx.user;
  const accountHtml =
    accounts.length === 0
      ? `<p class="muted" id="no-accounts">No accounts yet. <a href="/link-bank">Link a bank</a>.</p>`
      : `<div class="grid" id="accounts">${accounts
          .map(
            (a) =>
              `<div class="account" data-account-id="${esc(a.id)}" data-balance="${a.balance_cents}"><div class="muted">${esc(a.institution)}</div><div><strong>${esc(a.name)}</strong> ••${esc(a.mask)}</div><div class="balance">${money(a.balance_cents)}</div></div>`,
          )
          .join('')}</div>`;
  const txHtml =
    txs.length === 0
      ? `<p class="muted" id="no-transactions">No transactions yet.</p>`
      : `<table id="transactions"><thead><tr><th>Date</th><th>Description</th><th>Category</th><th>Amount</th></tr></thead><tbody>${txs
          .map(
            (t) =>
              `<tr data-transaction-id="${esc(t.id)}"><td>${esc(t.date)}</td><td>${esc(t.description)}</td><td>${esc(t.category)}</td><td class="amount${t.amount_cents < 0 ? ' neg' : ''}">${money(t.amount_cents)}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return layout(
    ctx,
    'Dashboard',
    `<h1>Hello, ${esc(user?.name ?? '')}</h1>
${notice === undefined ? '' : `<p class="ok" id="dashboard-notice">${esc(notice)}</p>`}
<p>Net worth: <strong id="net-worth">…</strong></p>
<h2>Accounts</h2>
${accountHtml}
<h2>Recent transactions</h2>
${txHtml}`,
  );
}

export function linkBankPage(ctx: PageContext): string {
  return layout(
    ctx,
    'Link a bank',
    `<h1>Link a bank account</h1>
<p>Connect a bank through Plaid Link. In this environment use the sandbox credentials <code>user_good</code> / <code>pass_good</code>.</p>
<p><button type="button" id="link-open">Link a bank</button></p>
<p class="error" id="link-error" role="alert" hidden></p>`,
  );
}

export function billingPage(ctx: PageContext, payments: Payment[], notice?: string): string {
  const rows =
    payments.length === 0
      ? `<p class="muted" id="no-payments">No payments yet.</p>`
      : `<table id="payments"><thead><tr><th>Date</th><th>Description</th><th>Card</th><th>Amount</th><th>Status</th></tr></thead><tbody>${payments
          .map(
            (p) =>
              `<tr data-payment-id="${esc(p.id)}"><td>${esc(p.created_at.slice(0, 10))}</td><td>${esc(p.description)}</td><td>•••• ${esc(p.card_last4)}</td><td class="amount">${money(p.amount_cents)}</td><td><span class="pill payment-status">${esc(p.status)}</span></td></tr>`,
          )
          .join('')}</tbody></table>`;
  const field = (id: string, label: string): string =>
    `<div class="field-label" id="${id}-label">${label}</div><div class="card-field" id="${id}" aria-labelledby="${id}-label"></div>`;
  return layout(
    ctx,
    'Billing',
    `<h1>Billing</h1>
${notice === undefined ? '' : `<p class="ok" id="payment-notice">${esc(notice)}</p>`}
<form class="card" id="payment-form" novalidate>
  <h2>VÖR Pro — $12.00/month</h2>
  <p class="muted">Test mode: use card 4242 4242 4242 4242, any future expiry, any CVC. Card details go to Stripe, never to VÖR.</p>
  ${field('card-number', 'Card number')}
  ${field('card-expiry', 'Expiry')}
  ${field('card-cvc', 'CVC')}
  <p class="error form-error" id="payment-error" role="alert" hidden></p>
  <p><button type="submit" id="pay-submit">Pay $12.00</button> <span class="muted" id="payment-status"></span></p>
</form>
<form class="card" id="checkout-form" method="post" action="/billing/checkout">
  <input type="hidden" name="csrf" value="${esc(ctx.csrfToken ?? '')}">
  <p>Or pay on Stripe's secure checkout page.</p>
  <p><button type="submit" class="secondary" id="checkout-submit">Pay with Checkout</button></p>
</form>
<h2>Payment history</h2>
${rows}`,
  );
}

export function settingsPage(ctx: PageContext): string {
  const u = ctx.user;
  return layout(
    ctx,
    'Settings',
    `<h1>Settings</h1>
<section class="card"><h2>Profile</h2><p>${esc(u?.name ?? '')} &lt;<span id="profile-email">${esc(u?.email ?? '')}</span>&gt;</p></section>
<section class="card"><h2>Your data</h2><p>Download everything VÖR holds about you (profile, accounts, transactions, payments) as JSON.</p>
<p><a class="button" href="/api/export" download="vor-export.json" id="export-link">Download my data</a></p></section>
<form class="card" id="delete-form" novalidate><h2>Delete account</h2>
<p>This permanently deletes your account and all your data. Type <strong>DELETE</strong> to confirm.</p>
<label for="delete-confirm">Confirmation</label><input id="delete-confirm" name="confirm" autocomplete="off">
<p class="error form-error" id="delete-error" role="alert" hidden></p>
<p><button type="submit" class="danger" id="delete-submit">Delete my account</button></p></form>`,
  );
}

export function notFoundPage(ctx: PageContext): string {
  return simplePage(ctx, 'Not found', `<h1>Page not found</h1><p><a href="/">Back to VÖR</a></p>`);
}

export function errorPage(ctx: PageContext): string {
  return simplePage(ctx, 'Error', `<h1>Something went wrong</h1><p>Please try again later.</p>`);
}

export function sitemapXml(baseUrl: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${PUBLIC_ROUTES.map((r) => `  <url><loc>${baseUrl}${r}</loc></url>`).join('\n')}
</urlset>
`;
}
