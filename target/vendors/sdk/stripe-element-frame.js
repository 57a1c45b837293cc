/* Stripe Elements stand-in: the script inside one card-field iframe. */
/* global window, document */
(function () {
  'use strict';
  var input = document.querySelector('input[data-elements-stable-field-name]');
  var type = input.dataset.elementsStableFieldName;
  var frame = document.body.dataset.frame;
  var parentOrigin = document.body.dataset.parentOrigin;

  function post(message) {
    message.source = 'stripe-element';
    message.frame = frame;
    window.parent.postMessage(message, parentOrigin);
  }

  function digits(text) {
    return text.replace(/\D/g, '');
  }

  function luhn(number) {
    var sum = 0;
    for (var i = 0; i < number.length; i += 1) {
      var d = Number(number.charAt(number.length - 1 - i));
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    return sum % 10 === 0;
  }

  function brandOf(number) {
    if (/^4/.test(number)) return 'visa';
    if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
    if (/^3[47]/.test(number)) return 'amex';
    return 'unknown';
  }

  // Each field formats what was typed and says whether it is complete, like Stripe's fields do.
  var FIELDS = {
    cardNumber: function (text) {
      var number = digits(text).slice(0, 16);
      var length = /^3[47]/.test(number) ? 15 : 16;
      number = number.slice(0, length);
      var full = number.length === length;
      var error = full && !luhn(number) ? { code: 'invalid_number', message: 'Your card number is invalid.' } : undefined;
      return {
        shown: number.replace(/(\d{4})(?=\d)/g, '$1 '),
        value: number,
        complete: full && error === undefined,
        error: error,
        brand: brandOf(number),
      };
    },
    cardExpiry: function (text) {
      var d = digits(text).slice(0, 4);
      if (d.length === 1 && Number(d) > 1) d = '0' + d;
      var shown = d.length > 2 ? d.slice(0, 2) + ' / ' + d.slice(2) : d;
      var error;
      if (d.length >= 2 && (Number(d.slice(0, 2)) < 1 || Number(d.slice(0, 2)) > 12))
        error = { code: 'invalid_expiry_month', message: "Your card's expiration month is invalid." };
      else if (d.length === 4) {
        var now = new Date();
        if ((2000 + Number(d.slice(2))) * 12 + Number(d.slice(0, 2)) - 1 < now.getFullYear() * 12 + now.getMonth())
          error = { code: 'invalid_expiry_year_past', message: "Your card's expiration year is in the past." };
      }
      return { shown: shown, value: shown, complete: d.length === 4 && error === undefined, error: error };
    },
    cardCvc: function (text) {
      var d = digits(text).slice(0, 4);
      return { shown: d, value: d, complete: d.length >= 3 };
    },
  };

  input.addEventListener('input', function () {
    var state = FIELDS[type](input.value);
    if (input.value !== state.shown) input.value = state.shown;
    post({
      type: 'change',
      value: state.value,
      complete: state.complete,
      empty: state.value === '',
      error: state.error,
      brand: state.brand,
    });
  });
  input.addEventListener('focus', function () {
    post({ type: 'focus' });
  });
  input.addEventListener('blur', function () {
    post({ type: 'blur' });
  });

  window.addEventListener('message', function (event) {
    // Commands come only from the page that embeds us, at the origin it was loaded for.
    if (event.origin !== parentOrigin || event.source !== window.parent) return;
    var data = event.data;
    if (data === null || typeof data !== 'object' || data.source !== 'stripe-js') return;
    if (data.type === 'focus') input.focus();
    else if (data.type === 'blur') input.blur();
    else if (data.type === 'clear') {
      input.value = '';
      post({ type: 'change', value: '', complete: false, empty: true });
    }
  });

  post({ type: 'ready' });
})();
