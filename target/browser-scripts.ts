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

  var del = document.getElementById('delete-form');
  if (del) del.addEventListener('submit', function (e) {
    e.preventDefault();
    api('DELETE', '/api/account', { confirm: val(del, 'confirm') }).then(function (r) {
      if (r.ok) { location.href = '/?deleted=1'; return; }
      formError(del, (r.data && r.data.error) || 'Deletion failed (' + r.status + ')');
    });
  });

  // Plaid Link: the SDK from the Plaid origin opens Link in its own iframe; the public token it hands
  // back is exchanged by the server, never here.
  var linkOpen = document.getElementById('link-open');
  if (linkOpen) {
    var linkError = function (msg) {
      var el = document.getElementById('link-error');
      if (el) { el.textContent = msg; el.hidden = !msg; }
    };
    linkOpen.addEventListener('click', function () {
      linkError('');
      if (!window.Plaid) { linkError('Bank linking is unavailable right now. Please try again later.'); return; }
      api('POST', '/api/plaid/link_token').then(function (r) {
        if (!r.ok) { linkError('Could not start bank linking'); return; }
        window.Plaid.create({
          token: r.data.link_token,
          onSuccess: function (publicToken) {
            api('POST', '/api/plaid/exchange', { public_token: publicToken }).then(function (x) {
              if (x.ok && x.data && x.data.account) { location.href = '/dashboard?linked=' + encodeURIComponent(x.data.account.id); return; }
              linkError('Bank linking failed. Please try again later.');
            }, function () { linkError('Bank linking failed. Please try again later.'); });
          },
          onExit: function (error) {
            if (error) linkError('Bank linking stopped: ' + (error.display_message || error.error_message || error.error_code));
          }
        }).open();
      }, function () { linkError('Could not start bank linking'); });
    });
  }

  // Stripe Elements: the card fields are Stripe's iframes; the card never touches this page or VÖR.
  var pay = document.getElementById('payment-form');
  if (pay) {
    var payError = function (msg) { formError(pay, msg); };
    if (!window.Stripe) payError('Card payments are unavailable right now. Please try again later.');
    else {
      var stripe = window.Stripe(cfg.stripePublishableKey);
      var elements = stripe.elements();
      var cardNumber = elements.create('cardNumber');
      cardNumber.mount('#card-number');
      elements.create('cardExpiry').mount('#card-expiry');
      elements.create('cardCvc').mount('#card-cvc');
      var payButton = document.getElementById('pay-submit');
      var payStatus = document.getElementById('payment-status');
      pay.addEventListener('submit', function (e) {
        e.preventDefault();
        var errorEl = pay.querySelector('.form-error');
        if (errorEl) errorEl.hidden = true;
        payButton.disabled = true;
        if (payStatus) payStatus.textContent = 'Processing…';
        var done = function (msg) { payButton.disabled = false; if (payStatus) payStatus.textContent = ''; payError(msg); };
        api('POST', '/api/billing/payment_intents', { amount_cents: 1200, currency: 'usd', description: 'VÖR Pro (monthly)' }).then(function (r) {
          if (!r.ok) { done('Payment failed: ' + ((r.data && r.data.error) || r.status)); return; }
          return stripe.confirmCardPayment(r.data.client_secret, { payment_method: { card: cardNumber } }).then(function (result) {
            if (result.error) { done(result.error.message); return; }
            return api('POST', '/api/billing/payments', { payment_intent: result.paymentIntent.id }).then(function (p) {
              if (p.ok) { location.href = '/billing?paid=' + encodeURIComponent(p.data.id); return; }
              done('Payment failed: ' + ((p.data && p.data.error) || p.status));
            });
          });
        }).catch(function (err) { done('Payment failed: ' + err.message); });
      });
    }
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
