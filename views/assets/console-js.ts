/**
 * The console works without this script; it only adds conveniences. Each feature looks for its
 * own `data-` attribute, so a page without it pays nothing.
 */
export const consoleJs = `
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
