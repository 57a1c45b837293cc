/* Plaid Link stand-in SDK: served at /link/v2/stable/link-initialize.js, defines window.Plaid. */
/* global window, document, URLSearchParams */
(function () {
  'use strict';
  // Replaced by the server with the JSON string of its own origin.
  var PLAID_ORIGIN = '__VENDOR_ORIGIN__';
  var opened = 0;

  function create(config) {
    if (config === null || typeof config !== 'object') throw new TypeError('Plaid.create needs a configuration object');
    if (typeof config.token !== 'string' || config.token === '') throw new TypeError('Plaid.create: token must be a non-empty link token');
    if (typeof config.onSuccess !== 'function') throw new TypeError('Plaid.create: onSuccess must be a function');
    var iframe = null;
    var listener = null;
    var lastStatus = 'requires_consent';
    var lastInstitution = null;

    function teardown() {
      if (listener !== null) window.removeEventListener('message', listener);
      listener = null;
      if (iframe !== null && iframe.parentNode !== null) iframe.parentNode.removeChild(iframe);
      iframe = null;
    }

    function exitMetadata() {
      return { status: lastStatus, institution: lastInstitution, link_session_id: null, request_id: null };
    }

    function onMessage(event) {
      // Only our own frame, from our own origin, may drive the callbacks.
      if (event.origin !== PLAID_ORIGIN || iframe === null || event.source !== iframe.contentWindow) return;
      var data = event.data;
      if (data === null || typeof data !== 'object' || data.source !== 'plaid-link') return;
      if (data.type === 'ready') {
        if (typeof config.onLoad === 'function') config.onLoad();
      } else if (data.type === 'status') {
        lastStatus = String(data.status);
        lastInstitution = data.institution || null;
      } else if (data.type === 'success') {
        teardown();
        config.onSuccess(data.public_token, data.metadata);
      } else if (data.type === 'exit') {
        teardown();
        if (typeof config.onExit === 'function') config.onExit(data.error || null, exitMetadata());
      }
    }

    return {
      open: function () {
        if (iframe !== null) return;
        opened += 1;
        iframe = document.createElement('iframe');
        iframe.id = 'plaid-link-iframe-' + opened;
        iframe.title = 'Plaid Link';
        iframe.src =
          PLAID_ORIGIN + '/link?' + new URLSearchParams({ token: config.token, origin: window.location.origin, v: '2' }).toString();
        var style = iframe.style;
        style.position = 'fixed';
        style.top = '0';
        style.left = '0';
        style.width = '100%';
        style.height = '100%';
        style.border = '0';
        style.zIndex = '2147483647';
        listener = onMessage;
        window.addEventListener('message', listener);
        document.body.appendChild(iframe);
      },
      exit: function () {
        if (iframe === null) return;
        teardown();
        if (typeof config.onExit === 'function') config.onExit(null, exitMetadata());
      },
      destroy: teardown,
    };
  }

  window.Plaid = { create: create, version: '2.0.0-vor-stand-in' };
})();
