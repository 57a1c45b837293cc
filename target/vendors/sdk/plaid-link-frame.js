/* Plaid Link stand-in: the script inside the Link iframe (same origin as the page it runs in). */
/* global window, document, fetch */
(function () {
  'use strict';
  var root = document.getElementById('plaid-link');
  var parentOrigin = root.dataset.parentOrigin;
  var linkToken = root.dataset.linkToken;
  var institution = null;

  function post(message) {
    message.source = 'plaid-link';
    window.parent.postMessage(message, parentOrigin);
  }

  function show(name) {
    var screens = document.querySelectorAll('[data-screen]');
    for (var i = 0; i < screens.length; i += 1) screens[i].hidden = screens[i].dataset.screen !== name;
    var heading = document.querySelector('[data-screen="' + name + '"] h1');
    if (heading !== null) heading.focus();
    post({ type: 'status', status: name, institution: institution });
  }

  document.querySelector('[data-action="exit"]').addEventListener('click', function () {
    post({ type: 'exit', error: null });
  });

  document.querySelector('[data-action="start"]').addEventListener('click', function () {
    show('select_institution');
  });

  var search = document.querySelector('[data-search]');
  var noResults = document.querySelector('[data-no-results]');
  search.addEventListener('input', function () {
    var term = search.value.trim().toLowerCase();
    var buttons = document.querySelectorAll('[data-institution-id]');
    var shown = 0;
    for (var i = 0; i < buttons.length; i += 1) {
      var match = buttons[i].dataset.institutionName.toLowerCase().indexOf(term) !== -1;
      buttons[i].parentNode.hidden = !match;
      if (match) shown += 1;
    }
    noResults.hidden = shown !== 0;
  });

  var institutionButtons = document.querySelectorAll('[data-institution-id]');
  for (var i = 0; i < institutionButtons.length; i += 1) {
    institutionButtons[i].addEventListener('click', function (event) {
      var button = event.currentTarget;
      institution = { name: button.dataset.institutionName, institution_id: button.dataset.institutionId };
      document.querySelector('[data-institution-heading]').textContent = 'Log in to ' + institution.name;
      show('requires_credentials');
    });
  }

  var form = document.querySelector('[data-credentials]');
  var alertBox = document.querySelector('[data-credentials-error]');
  var submit = form.querySelector('button[type="submit"]');
  var result = null;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    alertBox.hidden = true;
    submit.disabled = true;
    fetch('/link/credentials', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        link_token: linkToken,
        institution_id: institution.institution_id,
        username: form.elements.username.value,
        password: form.elements.password.value,
      }),
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (answer) {
        submit.disabled = false;
        if (!answer.ok) {
          alertBox.textContent = answer.body.display_message || 'Something went wrong';
          alertBox.hidden = false;
          return;
        }
        result = answer.body;
        show('success');
      })
      .catch(function () {
        submit.disabled = false;
        alertBox.textContent = 'Something went wrong';
        alertBox.hidden = false;
      });
  });

  document.querySelector('[data-action="finish"]').addEventListener('click', function () {
    post({
      type: 'success',
      public_token: result.public_token,
      metadata: { institution: result.institution, accounts: result.accounts, link_session_id: result.link_session_id },
    });
  });

  post({ type: 'ready' });
})();
