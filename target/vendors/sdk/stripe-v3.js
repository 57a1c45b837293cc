/* Stripe.js stand-in: served at /v3/, defines window.Stripe (Elements card fields + confirmCardPayment). */
/* global window, document, fetch, URLSearchParams, HTMLElement */
(function () {
  'use strict';
  // Replaced by the server with the JSON string of its own origin.
  var STRIPE_ORIGIN = '__VENDOR_ORIGIN__';
  var FIELDS = {
    cardNumber: { title: 'Secure card number input frame' },
    cardExpiry: { title: 'Secure expiration date input frame' },
    cardCvc: { title: 'Secure CVC input frame' },
  };
  var INCOMPLETE = {
    cardNumber: { code: 'incomplete_number', message: 'Your card number is incomplete.' },
    cardExpiry: { code: 'incomplete_expiry', message: "Your card's expiration date is incomplete." },
    cardCvc: { code: 'incomplete_cvc', message: "Your card's security code is incomplete." },
  };
  var nextFrame = 1000 + Math.floor(Math.random() * 8000);

  function integrationError(message) {
    var error = new Error(message);
    error.name = 'IntegrationError';
    return error;
  }

  function Element(group, type, options) {
    this._group = group;
    this._type = type;
    this._options = options || {};
    this._iframe = null;
    this._wrapper = null;
    this._handlers = {};
    // What the frame last reported; card data lives here, never in the page's DOM.
    this._state = { value: '', complete: false, empty: true, error: undefined, brand: undefined };
    this._onMessage = this._receive.bind(this);
  }

  Element.prototype.mount = function (target) {
    var container = typeof target === 'string' ? document.querySelector(target) : target;
    if (!(container instanceof HTMLElement))
      throw integrationError('The selector you specified (' + String(target) + ') applies to no DOM elements');
    if (this._iframe !== null) throw integrationError('This Element is already mounted.');
    var name = '__privateStripeFrame' + nextFrame++;
    var params = new URLSearchParams({ type: this._type, origin: window.location.origin, frame: name, key: this._group.key });
    var iframe = document.createElement('iframe');
    iframe.name = name;
    iframe.title = FIELDS[this._type].title;
    iframe.setAttribute('frameborder', '0');
    iframe.setAttribute('allowtransparency', 'true');
    iframe.setAttribute('scrolling', 'no');
    iframe.setAttribute('tabindex', '-1');
    iframe.src = STRIPE_ORIGIN + '/elements-inner-card?' + params.toString();
    iframe.style.border = '0';
    iframe.style.width = '100%';
    iframe.style.height = '40px';
    iframe.style.display = 'block';
    var wrapper = document.createElement('div');
    wrapper.className = '__PrivateStripeElement';
    wrapper.appendChild(iframe);
    this._iframe = iframe;
    this._wrapper = wrapper;
    window.addEventListener('message', this._onMessage);
    container.appendChild(wrapper);
  };

  Element.prototype._receive = function (event) {
    if (event.origin !== STRIPE_ORIGIN || this._iframe === null || event.source !== this._iframe.contentWindow) return;
    var data = event.data;
    if (data === null || typeof data !== 'object' || data.source !== 'stripe-element' || data.frame !== this._iframe.name) return;
    if (data.type === 'ready') this._emit('ready', { elementType: this._type });
    else if (data.type === 'focus' || data.type === 'blur') this._emit(data.type, { elementType: this._type });
    else if (data.type === 'change') {
      this._state = {
        value: String(data.value),
        complete: data.complete === true,
        empty: data.empty === true,
        error: data.error,
        brand: data.brand,
      };
      this._emit('change', {
        elementType: this._type,
        empty: this._state.empty,
        complete: this._state.complete,
        error: this._state.error,
        brand: this._state.brand,
      });
    }
  };

  Element.prototype._emit = function (event, payload) {
    var handlers = this._handlers[event] || [];
    for (var i = 0; i < handlers.length; i += 1) handlers[i](payload);
  };

  Element.prototype._command = function (type) {
    if (this._iframe !== null && this._iframe.contentWindow !== null)
      this._iframe.contentWindow.postMessage({ source: 'stripe-js', type: type }, STRIPE_ORIGIN);
  };

  Element.prototype.on = function (event, handler) {
    (this._handlers[event] = this._handlers[event] || []).push(handler);
    return this;
  };
  Element.prototype.off = function (event, handler) {
    this._handlers[event] = (this._handlers[event] || []).filter(function (h) {
      return h !== handler;
    });
    return this;
  };
  Element.prototype.focus = function () {
    this._command('focus');
  };
  Element.prototype.blur = function () {
    this._command('blur');
  };
  Element.prototype.clear = function () {
    this._command('clear');
  };
  Element.prototype.unmount = function () {
    window.removeEventListener('message', this._onMessage);
    if (this._wrapper !== null && this._wrapper.parentNode !== null) this._wrapper.parentNode.removeChild(this._wrapper);
    this._iframe = null;
    this._wrapper = null;
  };
  Element.prototype.destroy = function () {
    this.unmount();
    delete this._group.byType[this._type];
  };

  function Elements(stripe) {
    this.key = stripe._key;
    this.byType = {};
  }
  Elements.prototype.create = function (type, options) {
    if (!Object.prototype.hasOwnProperty.call(FIELDS, type))
      throw integrationError('Unsupported Element type in this stand-in: ' + String(type));
    if (this.byType[type] !== undefined) throw integrationError('Can only create one Element of type ' + type + '.');
    var element = new Element(this, type, options);
    this.byType[type] = element;
    return element;
  };
  Elements.prototype.getElement = function (type) {
    return this.byType[type] || null;
  };

  function parseExpiry(text) {
    var match = /^\s*(\d{1,2})\s*\/\s*(\d{2})\s*$/.exec(text);
    return match === null ? null : { month: match[1], year: '20' + match[2] };
  }

  function fieldError(group) {
    var types = ['cardNumber', 'cardExpiry', 'cardCvc'];
    for (var i = 0; i < types.length; i += 1) {
      var element = group.byType[types[i]];
      if (element === undefined)
        return { type: 'validation_error', code: 'incomplete', message: 'The ' + types[i] + ' Element is not mounted.' };
      if (element._state.error) return { type: 'validation_error', code: element._state.error.code, message: element._state.error.message };
      if (!element._state.complete)
        return { type: 'validation_error', code: INCOMPLETE[types[i]].code, message: INCOMPLETE[types[i]].message };
    }
    return null;
  }

  function Stripe(key, options) {
    if (!(this instanceof Stripe)) return new Stripe(key, options);
    if (typeof key !== 'string' || !/^pk_(test|live)_[A-Za-z0-9]+$/.test(key))
      throw integrationError('Invalid API Key provided: ' + String(key));
    this._key = key;
  }

  Stripe.prototype.elements = function () {
    return new Elements(this);
  };

  Stripe.prototype.confirmCardPayment = function (clientSecret, data) {
    var match = typeof clientSecret === 'string' ? /^(pi_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/.exec(clientSecret) : null;
    if (match === null)
      return Promise.reject(
        integrationError(
          'Invalid value for confirmCardPayment: clientSecret should be a client secret of the form ${id}_secret_${secret}.',
        ),
      );
    var card = data && data.payment_method && data.payment_method.card;
    if (!(card instanceof Element))
      return Promise.reject(integrationError('confirmCardPayment: payment_method.card must be a mounted card Element.'));
    var problem = fieldError(card._group);
    if (problem !== null) return Promise.resolve({ error: problem });
    var expiry = parseExpiry(card._group.byType.cardExpiry._state.value);
    var body = new URLSearchParams({
      client_secret: clientSecret,
      key: card._group.key,
      'payment_method_data[type]': 'card',
      'payment_method_data[card][number]': card._group.byType.cardNumber._state.value,
      'payment_method_data[card][exp_month]': expiry === null ? '' : expiry.month,
      'payment_method_data[card][exp_year]': expiry === null ? '' : expiry.year,
      'payment_method_data[card][cvc]': card._group.byType.cardCvc._state.value,
    });
    var billing = data.payment_method.billing_details;
    if (billing && typeof billing.name === 'string') body.set('payment_method_data[billing_details][name]', billing.name);
    return fetch(STRIPE_ORIGIN + '/v1/payment_intents/' + match[1] + '/confirm', { method: 'POST', body: body, credentials: 'omit' })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        return answer.error ? { error: answer.error } : { paymentIntent: answer };
      })
      .catch(function () {
        return { error: { type: 'api_connection_error', message: 'We could not reach Stripe. Check your connection and try again.' } };
      });
  };

  window.Stripe = Stripe;
})();
