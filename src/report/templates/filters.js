/* global document, setTimeout */
// The report's filters: failures only, minimum severity, checklist section. Plain DOM, no network.
(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  var order = ['critical', 'high', 'medium', 'low', 'info'];
  function apply() {
    var failuresOnly = form.elements.failures.checked;
    var minimum = order.indexOf(form.elements.severity.value);
    var section = form.elements.section.value;
    document.querySelectorAll('[data-status]').forEach(function (el) {
      var failing = el.dataset.status === 'fail' || el.dataset.status === 'error';
      var severity = order.indexOf(el.dataset.severity || 'info');
      var sections = (el.dataset.sections || '').split('|');
      var shown =
        (!failuresOnly || failing) &&
        (minimum < 0 || !el.dataset.severity || severity <= minimum) &&
        (section === '' || sections.indexOf(section) >= 0);
      el.hidden = !shown;
    });
    document.querySelectorAll('[data-group]').forEach(function (group) {
      var rows = group.querySelectorAll('[data-status]');
      var visible = Array.prototype.some.call(rows, function (row) {
        return !row.hidden;
      });
      group.hidden = rows.length > 0 && !visible;
      if (failuresOnly && visible && group.tagName === 'DETAILS') group.open = true;
    });
    var shown = document.querySelectorAll('#findings [data-status]:not([hidden])').length;
    document.getElementById('filter-count').textContent = shown + ' findings shown';
  }
  form.addEventListener('change', apply);
  form.addEventListener('reset', function () {
    setTimeout(apply, 0);
  });
  apply();
})();
