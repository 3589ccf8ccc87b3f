/**
 * Styles and script for the console's webhooks, API keys and settings pages (joined into
 * console.css and console.js).
 */
export const css = `
ul.deliveries { list-style: none; margin: 0 0 1rem; padding: 0; }
li.delivery { border: 1px solid var(--line); border-radius: 10px; padding: 0.75rem 1rem; margin-bottom: 0.75rem; }
.delivery-head { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.75rem; }
.delivery-head h3 { margin: 0; font-size: 1rem; }
.delivery-meta { font-size: 0.9rem; overflow-wrap: anywhere; margin: 0.35rem 0 0.5rem; }
.pill { display: inline-block; border-radius: 999px; padding: 0 0.6rem; font-size: 0.85rem; font-weight: 700;
  border: 2px solid currentColor; white-space: nowrap; }
.pill.delivered { color: var(--brand); }
.pill.pending { color: var(--info); border-style: dashed; }
.pill.exhausted { color: var(--error); }
ol.attempts { margin: 0 0 0.5rem; padding-left: 1.5rem; font-size: 0.95rem; }
ol.attempts li { margin-bottom: 0.25rem; overflow-wrap: anywhere; }
.attempt-error { display: block; color: var(--error); }

.form-block { max-width: 40rem; margin-bottom: 1.5rem; }
table.stack th[scope=row] { background: none; }
table.stack tr:last-child th { border-bottom: 0; }
table.stack .revoked { color: var(--muted); }
.key-name { white-space: nowrap; }
@media (max-width: 40rem) {
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack, table.stack tbody, table.stack tr, table.stack th, table.stack td { display: block; width: 100%; }
  table.stack tr { border-bottom: 1px solid var(--line); padding: 0.5rem 0; }
  table.stack tr:last-child { border-bottom: 0; }
  table.stack th[scope=row], table.stack td { border: 0; padding: 0.15rem 0.75rem; white-space: normal; }
  table.stack th[scope=row] { background: none; font-size: 1.05rem; }
  table.stack td[data-label]:not([data-label=""])::before { content: attr(data-label) ": "; font-weight: 600; }
}

.settings-grid { display: grid; gap: 1.5rem; grid-template-columns: 1fr; align-items: start; }
@media (min-width: 64rem) { .settings-grid { grid-template-columns: minmax(0, 1fr) minmax(16rem, 22rem); } }
.claim-preview { border: 1px solid var(--line); border-radius: 12px; padding: 1rem; background: var(--paper); }
.claim-preview h2 { margin-top: 0; font-size: 1.05rem; }
.preview-offer { background: var(--panel); border-radius: 10px; padding: 0.75rem 1rem; margin-bottom: 0.75rem;
  border-top: 6px solid var(--brand); }
.preview-provider { font-weight: 600; color: var(--muted); margin: 0 0 0.25rem; overflow-wrap: anywhere; }
.preview-amount { font-size: 1.75rem; font-weight: 800; margin: 0; }
.preview-amount .muted { font-size: 1rem; font-weight: 500; }
.preview-button { display: block; width: 100%; margin-bottom: 0.75rem; cursor: default; }
.preview-link { color: var(--info); text-decoration: underline; overflow-wrap: anywhere; }
`

/** Live preview of the accent colour and its contrast; the server checks again on save. */
export const js = `
(function () {
  'use strict';
  var preview = document.querySelector('[data-preview]');
  if (!preview) return;
  var accent = document.getElementById('f-accent_colour');
  var name = document.getElementById('f-display_name');
  var contact = document.getElementById('f-support_contact');
  var readout = preview.querySelector('[data-contrast]');
  function linear(c) { var s = c / 255; return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4); }
  function luminance(hex) {
    var n = parseInt(hex.slice(1), 16);
    return 0.2126 * linear(n >> 16 & 255) + 0.7152 * linear(n >> 8 & 255) + 0.0722 * linear(n & 255);
  }
  function darker(hex) {
    var n = parseInt(hex.slice(1), 16);
    return '#' + [n >> 16 & 255, n >> 8 & 255, n & 255].map(function (c) {
      return ('0' + Math.round(c * 0.75).toString(16)).slice(-2);
    }).join('');
  }
  if (accent) accent.addEventListener('input', function () {
    var value = accent.value.trim().toLowerCase();
    if (!/^#[0-9a-f]{6}$/.test(value)) {
      readout.textContent = value ? 'Write the colour as #rrggbb, for example #5b1a8f.' : 'Cashout’s own green is used until you choose an accent colour.';
      preview.style.removeProperty('--brand');
      preview.style.removeProperty('--brand-dark');
      return;
    }
    var ratio = Math.floor(1.05 / (luminance(value) + 0.05) * 100) / 100;
    // Set through the CSS object model, which the page's CSP allows (unlike style attributes).
    preview.style.setProperty('--brand', value);
    preview.style.setProperty('--brand-dark', darker(value));
    readout.textContent = 'White text on ' + value + ': ' + ratio.toFixed(2) + ':1 (4.5:1 needed)' +
      (ratio < 4.5 ? ' — too light, choose a darker colour.' : '.');
  });
  if (name) name.addEventListener('input', function () {
    var shown = preview.querySelector('[data-preview-name]');
    shown.textContent = name.value.trim() || shown.getAttribute('data-default');
  });
  if (contact) contact.addEventListener('input', function () {
    var line = preview.querySelector('[data-preview-support]');
    preview.querySelector('[data-preview-contact]').textContent = contact.value.trim();
    line.hidden = contact.value.trim() === '';
  });
})();
`
