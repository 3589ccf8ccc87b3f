/** The claim page's one script: shows the chosen fields, focuses errors, follows the status. */
export const claimJs = `(() => {
  'use strict'
  const form = document.querySelector('form[data-destination]')
  if (form) {
    const sections = form.querySelectorAll('[data-section]')
    const sync = () => {
      const chosen = form.querySelector('input[name=type]:checked')
      const value = chosen ? chosen.value : 'payid'
      sections.forEach((section) => { section.hidden = section.getAttribute('data-section') !== value })
    }
    form.querySelectorAll('input[name=type]').forEach((radio) => radio.addEventListener('change', sync))
    sync()
  }
  const summary = document.querySelector('[data-error-summary]')
  if (summary) summary.focus()
  document.querySelectorAll('form').forEach((each) => {
    each.addEventListener('submit', () => {
      setTimeout(() => each.querySelectorAll('button').forEach((button) => { button.disabled = true }), 0)
    })
  })
  const status = document.querySelector('[data-poll]')
  if (status) {
    const url = status.getAttribute('data-poll')
    const state = status.getAttribute('data-state')
    const tick = () => {
      fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
        .then((res) => (res.ok ? res.json() : null))
        .then((body) => {
          if (body && body.state !== state) location.reload()
          else setTimeout(tick, 2000)
        })
        .catch(() => setTimeout(tick, 4000))
    }
    setTimeout(tick, 2000)
  }
})()
`
