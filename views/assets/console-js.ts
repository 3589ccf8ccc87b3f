import { SECTION_ASSETS } from './console-css.ts'

/**
 * The console works without this script; it only adds conveniences. Each feature looks for its
 * own `data-` attribute, so a page without it pays nothing.
 */
const baseJs = `
(function () {
  'use strict';
  // Copy buttons beside secrets shown once.
  document.querySelectorAll('[data-copy]').forEach(function (el) {
    if (!navigator.clipboard) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'button secondary';
    button.textContent = 'Copy';
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(el.textContent.trim()).then(function () {
        button.textContent = 'Copied';
        setTimeout(function () { button.textContent = 'Copy'; }, 2000);
      });
    });
    el.insertAdjacentElement('afterend', button);
  });
  // Buttons that ask before doing something that cannot be undone.
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });
})();
`

export const consoleJs = [baseJs, ...SECTION_ASSETS.map((s) => s.js)].join('\n')
