/**
 * The browser scripts of the reference target's pages (plain ES5, no build step, no inline script so
 * the CSP stays strict). Served fingerprinted by target/assets.ts.
 */

export const ANALYTICS_JS = `/* VÖR analytics (non-essential; loaded only after consent) */
(function(){window.__vorAnalytics={loadedAt:Date.now()};var img=new Image();img.src='/assets/pixel.svg?e=pageview';})();
`;

/** Shared by every page: cookie consent, analytics gating, forms that talk to the JSON API. */
export const APP_JS = `/* VÖR web app */
(function () {
  'use strict';
  var cfg = window.VOR_CONFIG || {};
  function cookie(name) {
    var m = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : null;
  }
  function loadAnalytics() {
    if (document.getElementById('vor-analytics')) return;
    var s = document.createElement('script');
    s.id = 'vor-analytics';
    s.src = '/assets/analytics.js';
    s.async = true;
    document.head.appendChild(s);
  }
  function csrfToken() {
    var t = cookie('vor_csrf');
    if (t) return Promise.resolve(t);
    return fetch('/api/auth/csrf', { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (j) { return j.csrfToken; });
  }
  function api(method, path, body) {
    var needsToken = !/^\\/api\\/auth\\/(login|signup)$/.test(path);
    return (needsToken ? csrfToken() : Promise.resolve(null)).then(function (token) {
      var headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      if (token) headers['X-CSRF-Token'] = token;
      return fetch(path, { method: method, headers: headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) })
        .then(function (r) {
          return r.text().then(function (t) {
            var data = null;
            try { data = t ? JSON.parse(t) : null; } catch (e) { data = null; }
            return { ok: r.ok, status: r.status, data: data };
          });
        });
    });
  }
  window.vorApi = api;

  // Cookie consent: analytics only after an explicit "Accept".
  var consent = cookie('vor_consent');
  var banner = document.getElementById('cookie-banner');
  if (banner) {
    if (consent) banner.hidden = true;
    var accept = document.getElementById('cookie-accept');
    var reject = document.getElementById('cookie-reject');
    var remember = function (value) {
      document.cookie = 'vor_consent=' + value + '; Path=/; Max-Age=31536000; Secure; SameSite=Lax';
      banner.hidden = true;
    };
    if (accept) accept.addEventListener('click', function () { remember('accepted'); loadAnalytics(); });
    if (reject) reject.addEventListener('click', function () { remember('rejected'); });
  }
  if (consent === 'accepted' || cfg.analyticsBeforeConsent) loadAnalytics();
  if (cfg.consoleError && document.body.getAttribute('data-page') === 'landing') console.error('VÖR: feature flags failed to load (fault console_error)');

  // Slow LCP fault: the hero image appears only after ~4.5 s.
  var slot = document.getElementById('hero-slot');
  if (slot && slot.getAttribute('data-src')) {
    setTimeout(function () {
      var img = document.createElement('img');
      img.src = slot.getAttribute('data-src');
      img.alt = 'VÖR overview';
      img.width = 1200;
      img.height = 520;
      img.id = 'hero-img';
      slot.appendChild(img);
    }, cfg.slowLcp ? 4500 : 0);
  }

  function formError(form, msg) {
    var el = form.querySelector('.form-error');
    if (el) { el.textContent = msg; el.hidden = false; }
  }
  function val(form, name) { var el = form.querySelector('[name="' + name + '"]'); return el ? el.value : ''; }

  var login = document.getElementById('login-form');
  if (login) login.addEventListener('submit', function (e) {
    e.preventDefault();
    api('POST', '/api/auth/login', { email: val(login, 'email'), password: val(login, 'password') }).then(function (r) {
      if (r.ok) { location.href = '/dashboard'; return; }
      formError(login, (r.data && r.data.error) || 'Login failed (' + r.status + ')');
    }, function () { formError(login, 'Network error, please try again'); });
  });

  var signup = document.getElementById('signup-form');
  if (signup) signup.addEventListener('submit', function (e) {
    e.preventDefault();
    api('POST', '/api/auth/signup', { name: val(signup, 'name'), email: val(signup, 'email'), password: val(signup, 'password') }).then(function (r) {
      if (r.ok) { location.href = '/dashboard?welcome=1'; return; }
      formError(signup, (r.data && r.data.error) || 'Sign-up failed (' + r.status + ')');
    }, function () { formError(signup, 'Network error, please try again'); });
  });

  document.querySelectorAll('[data-logout]').forEach(function (b) {
    b.addEventListener('click', function (e) {
      e.preventDefault();
      api('POST', '/api/auth/logout').then(function () { location.href = '/login?logged_out=1'; });
    });
  });

  var pay = document.getElementById('payment-form');
  if (pay) pay.addEventListener('submit', function (e) {
    e.preventDefault();
    var status = document.getElementById('payment-status');
    api('POST', '/api/billing/payment_intents', { amount_cents: 1200, currency: 'usd', description: 'VÖR Pro (monthly)' }).then(function (r) {
      if (!r.ok) throw new Error((r.data && r.data.error) || 'could not create payment');
      return api('POST', '/api/billing/payment_intents/' + r.data.id + '/confirm', {
        card_number: val(pay, 'card_number'), exp: val(pay, 'exp'), cvc: val(pay, 'cvc')
      });
    }).then(function (r) {
      if (r.ok && r.data && r.data.status === 'succeeded') { location.href = '/billing?paid=' + encodeURIComponent(r.data.id); return; }
      formError(pay, 'Payment failed: ' + ((r.data && (r.data.message || r.data.error)) || r.status));
    }).catch(function (err) { formError(pay, 'Payment failed: ' + err.message); });
    if (status) status.textContent = 'Processing…';
  });

  var del = document.getElementById('delete-form');
  if (del) del.addEventListener('submit', function (e) {
    e.preventDefault();
    api('DELETE', '/api/account', { confirm: val(del, 'confirm') }).then(function (r) {
      if (r.ok) { location.href = '/?deleted=1'; return; }
      formError(del, (r.data && r.data.error) || 'Deletion failed (' + r.status + ')');
    });
  });

  // Plaid-Link-like sandbox flow.
  var open = document.getElementById('link-open');
  var modal = document.getElementById('plaid-link');
  if (open && modal) {
    var chosen = null;
    var step = function (id) { modal.querySelectorAll('[data-step]').forEach(function (s) { s.hidden = s.getAttribute('data-step') !== id; }); };
    var linkToken = null;
    open.addEventListener('click', function () {
      api('POST', '/api/plaid/link_token').then(function (r) {
        if (!r.ok) { document.getElementById('link-error').textContent = 'Could not start bank linking'; return; }
        linkToken = r.data.link_token; modal.hidden = false; step('institution');
      });
    });
    modal.querySelectorAll('[data-institution]').forEach(function (b) {
      b.addEventListener('click', function () { chosen = b.getAttribute('data-institution'); document.getElementById('plaid-inst-name').textContent = chosen; step('credentials'); });
    });
    document.getElementById('plaid-close').addEventListener('click', function () { modal.hidden = true; });
    var creds = document.getElementById('plaid-credentials');
    creds.addEventListener('submit', function (e) {
      e.preventDefault();
      api('POST', '/api/plaid/public_token', { link_token: linkToken, institution: chosen, username: val(creds, 'username'), password: val(creds, 'password') }).then(function (r) {
        if (!r.ok) { formError(creds, (r.data && r.data.error_message) || 'Invalid credentials'); return null; }
        return api('POST', '/api/plaid/exchange', { public_token: r.data.public_token, institution: chosen });
      }).then(function (r) {
        if (r === null) return;
        if (r.ok) { step('success'); document.getElementById('plaid-continue').setAttribute('data-account', r.data.account.id); return; }
        step('failure');
      });
    });
    document.getElementById('plaid-continue').addEventListener('click', function () {
      location.href = '/dashboard?linked=' + encodeURIComponent(this.getAttribute('data-account') || '');
    });
  }
})();
`;

export const DASHBOARD_JS = `/* VÖR dashboard */
(function () {
  'use strict';
  var cfg = window.VOR_CONFIG || {};
  var total = 0;
  document.querySelectorAll('[data-balance]').forEach(function (el) { total += Number(el.getAttribute('data-balance')); });
  var out = document.getElementById('net-worth');
  if (out) out.textContent = (total / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
  if (cfg.dashboardException) {
    var summary = undefined;
    // fault dashboard_exception: an uncaught TypeError, as a real bug would throw it
    out.textContent = summary.netWorth.toFixed(2);
  }
})();
`;
