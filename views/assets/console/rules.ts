/** Styles and script for the console's rules pages (joined into console.css and console.js). */
export const css = `
.rule-form { max-width: 48rem; }
.rule-form fieldset { border: 1px solid var(--line); border-radius: 10px; padding: 0.75rem 1rem 0.25rem;
  margin: 0 0 1rem; min-width: 0; }
.rule-form legend { font-weight: 800; padding: 0 0.35rem; }
.rule-form fieldset > .hint { margin-bottom: 0.75rem; }
.rule-form .lifetime { display: flex; gap: 0.5rem; flex-wrap: wrap; }
.rule-form .lifetime input { flex: 1 1 6rem; max-width: 10rem; }
.rule-form .lifetime select { flex: 0 1 10rem; width: auto; }
.rule-preview { border-top: 1px solid var(--line); padding-top: 0.25rem; margin-top: 1.5rem; }
.rule-preview .try { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0 0.75rem; }
.rule-preview .try .field { flex: 0 1 12rem; }
.rule-preview .try .button { margin-bottom: 1rem; }
.rule-preview .preview dl.summary { margin: 0.5rem 0 0; border-top-color: #9cc9ae; }
.rule-preview .preview dl.summary .row { border-bottom-color: #9cc9ae; }
.rule-preview .receives { font-size: 1.2rem; margin: 0; }
.rule-preview .receives strong { font-size: 1.5rem; }
.rule-preview .preview-problem { color: var(--error); font-weight: 700; margin: 0; }
.rule-preview .preview > p.muted { margin: 0; }
.rule-history { list-style: none; margin: 0 0 1rem; padding: 0; max-width: 48rem; }
.rule-history > li { border: 1px solid var(--line); border-radius: 10px; padding: 0.75rem 1rem; margin-bottom: 0.75rem; }
.rule-history h3 { margin: 0 0 0.25rem; display: flex; align-items: center; gap: 0.5rem; flex-wrap: wrap; }
.rule-history .current-tag { font-size: 0.8rem; font-weight: 700; border: 2px solid var(--brand); color: var(--brand);
  border-radius: 999px; padding: 0 0.5rem; }
.rule-history p { margin-bottom: 0.35rem; }
.rule-history .who-made { overflow-wrap: anywhere; }
.rule-history ul { margin: 0; padding-left: 1.25rem; }
.rule-history ul li { overflow-wrap: anywhere; }
`

/**
 * The live preview: as the rule or "Try points" changes, asks the server to price the form as
 * typed (the same code as the API's quote) and shows the answer in the polite live region.
 * Without the script the Preview button does the same with a page load.
 */
export const js = `
(function () {
  'use strict';
  var form = document.querySelector('form[data-rule-form]');
  var region = document.getElementById('rule-preview');
  if (!form || !region || !window.fetch || !window.FormData || !window.URLSearchParams) return;
  var timer = null, asked = 0, shown = null;
  function refresh() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      // The form's token stays out of URLs and logs; the preview needs only the values.
      if (key !== 'csrf' && typeof value === 'string') params.append(key, value);
    });
    var mine = ++asked;
    fetch(form.getAttribute('data-preview') + '?' + params.toString(), {
      credentials: 'same-origin', headers: { Accept: 'text/html' }
    }).then(function (res) {
      // A redirect means the session ended: leave the preview as it was.
      if (!res.ok || res.redirected) throw new Error('preview unavailable');
      return res.text();
    }).then(function (html) {
      if (mine !== asked || html === shown) return;
      shown = html;
      region.innerHTML = html;
    }).catch(function () {});
  }
  function soon() { clearTimeout(timer); timer = setTimeout(refresh, 250); }
  form.addEventListener('input', soon);
  form.addEventListener('change', soon);
})();
`
