// Staff console: progressive enhancement only. Every page works without this script; with it, copy buttons copy,
// dangerous buttons ask first, and a refused form moves focus to its summary of messages.
(function () {
  'use strict';
  document.addEventListener('click', function (ev) {
    var button = ev.target.closest ? ev.target.closest('button.copy') : null;
    if (!button) return;
    var target = document.getElementById(button.getAttribute('data-copy-target'));
    if (!target) return;
    var text = target.value !== undefined ? target.value : target.innerText;
    var done = function () { button.textContent = 'コピーしました'; setTimeout(function () { button.textContent = 'コピー'; }, 2000); };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, function () { fallback(); });
    else fallback();
    function fallback() { if (target.select) { target.select(); try { document.execCommand('copy'); done(); } catch (e) { /* select is enough */ } } }
  });
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    var question = form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) ev.preventDefault();
  });
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();
  // Copy buttons are useless without the script: they start hidden and appear here.
  var buttons = document.querySelectorAll('button.copy[hidden]');
  for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
})();
