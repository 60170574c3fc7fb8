// Autosave for the vendor questionnaire. The page works without this script (a plain form with a save button);
// with it, each answer is saved as soon as it is given, so nothing typed is lost if the browser closes.
(function () {
  'use strict';
  var main = document.getElementById('main');
  var form = document.getElementById('answers');
  if (!main || !form) return;
  var token = main.getAttribute('data-token');
  var lang = main.getAttribute('data-lang') || 'ja';
  var T = lang === 'en'
    ? { saving: 'Saving…', saved: 'Saved', failed: 'Could not save', conflict: 'This answer was changed elsewhere first. Reload the page and enter it again.' }
    : { saving: '保存中…', saved: '保存しました', failed: '保存できませんでした', conflict: 'この設問は他の方（または別の画面）で先に更新されました。表示を最新にしてから入力し直してください。' };
  var api = '/api/v1/respond/' + encodeURIComponent(token);
  var timers = {};

  function fieldset(el) { while (el && !(el.classList && el.classList.contains('question'))) el = el.parentNode; return el; }

  function valueOf(fs) {
    var id = fs.getAttribute('data-question');
    var type = fs.getAttribute('data-type');
    var name = 'a.' + id;
    if (type === 'multiple-choice') {
      var boxes = fs.querySelectorAll('input[type=checkbox][name="' + name + '"]:checked');
      var values = [];
      for (var i = 0; i < boxes.length; i++) values.push(boxes[i].value);
      if (values.indexOf('na') >= 0) return 'na';
      return values.length ? values : null;
    }
    if (type === 'number') {
      var na = fs.querySelector('input[name="na.' + id + '"]');
      if (na && na.checked) return 'na';
      var n = fs.querySelector('input[name="' + name + '"]');
      return n.value === '' ? null : Number(n.value);
    }
    if (type === 'file') return undefined;
    var radio = fs.querySelector('input[type=radio][name="' + name + '"]:checked');
    if (radio) return radio.value;
    var other = fs.querySelector('[name="' + name + '"]:not([type=radio])');
    if (other) return other.value === '' ? null : other.value;
    return undefined;
  }

  function status(fs, text, isError) {
    var p = fs.querySelector('[data-status-for]');
    var e = fs.querySelector('.error');
    if (isError) { e.textContent = text; p.textContent = ''; fs.classList.add('has-error'); }
    else { p.textContent = text; e.textContent = ''; fs.classList.remove('has-error'); }
  }

  // What the page shows of each question beyond its answer: whether it is there, and whether it asks for evidence.
  function applicableIds(view) {
    var ids = [];
    view.sections.forEach(function (s) { s.questions.forEach(function (q) { ids.push(q.id + ':' + q.evidence); }); });
    return ids.sort().join(',');
  }

  function domIds() {
    var ids = [];
    var all = form.querySelectorAll('fieldset.question');
    for (var i = 0; i < all.length; i++) ids.push(all[i].getAttribute('data-question') + ':' + all[i].getAttribute('data-evidence'));
    return ids.sort().join(',');
  }

  function refresh() {
    fetch(api, { headers: { Accept: 'application/json' }, credentials: 'omit' }).then(function (r) { return r.ok ? r.json() : null; }).then(function (view) {
      if (!view) return;
      // A follow-up appeared or went away, or an answer now asks for evidence: the answers are saved, so reloading
      // loses nothing.
      if (applicableIds(view) !== domIds()) { location.reload(); return; }
      var progress = document.querySelector('[data-progress]');
      if (progress) progress.textContent = lang === 'en'
        ? view.progress.answered + ' of ' + view.progress.applicable + ' questions answered'
        : view.progress.applicable + '問中' + view.progress.answered + '問回答済み';
      view.sections.forEach(function (s) {
        var c = document.querySelector('[data-section-count="' + s.id + '"]');
        if (!c) return;
        var answered = s.questions.filter(function (q) { return (q.current && q.current.value !== null) || q.files.length > 0; }).length;
        c.textContent = answered + '/' + s.questions.length;
      });
    }).catch(function () {});
  }

  function save(fs, keepalive) {
    var id = fs.getAttribute('data-question');
    var versionInput = form.querySelector('input[name="v.' + id + '"]');
    var comment = fs.querySelector('textarea.comment');
    var body = { version: Number(versionInput.value) || 0, comment: comment ? comment.value : undefined };
    var value = valueOf(fs);
    if (value !== undefined) body.value = value;
    status(fs, T.saving, false);
    fetch(api + '/answers/' + encodeURIComponent(id), {
      method: 'PUT', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, credentials: 'omit', body: JSON.stringify(body),
      keepalive: !!keepalive
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; });
    }).then(function (res) {
      if (res.ok) { versionInput.value = res.data.version; status(fs, T.saved, false); refresh(); return; }
      if (res.status === 409 && res.data.code === 'version_conflict') { status(fs, T.conflict, true); return; }
      var msg = (res.data.errors && res.data.errors[0] && res.data.errors[0].message) || res.data.detail || T.failed;
      status(fs, msg, true);
    }).catch(function () { status(fs, T.failed, true); });
  }

  form.addEventListener('change', function (ev) {
    var fs = fieldset(ev.target);
    if (!fs || ev.target.type === 'file') return;
    clearTimeout(timers[fs.id]);
    delete timers[fs.id];
    save(fs);
  });
  // Typing (text, number, date): saved after a pause, and at once when the page is closed or hidden.
  var TYPED = { TEXTAREA: true, text: true, number: true, date: true };
  form.addEventListener('input', function (ev) {
    if (!TYPED[ev.target.tagName] && !TYPED[ev.target.type]) return;
    var fs = fieldset(ev.target);
    if (!fs) return;
    clearTimeout(timers[fs.id]);
    timers[fs.id] = setTimeout(function () { delete timers[fs.id]; save(fs); }, 1500);
  });
  function flush() {
    Object.keys(timers).forEach(function (id) {
      clearTimeout(timers[id]);
      delete timers[id];
      var fs = document.getElementById(id);
      if (fs) save(fs, true);
    });
  }
  window.addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') flush(); });
  var firstError = document.querySelector('.errors');
  if (firstError) firstError.focus();
})();
