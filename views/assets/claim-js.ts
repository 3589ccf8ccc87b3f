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
  // Another language keeps what the customer typed: the form goes with the choice.
  const keep = document.querySelector('form[data-keep-language]')
  if (keep) {
    document.querySelectorAll('a[data-lang]').forEach((link) => {
      link.addEventListener('click', (event) => {
        event.preventDefault()
        const lang = document.createElement('input')
        lang.type = 'hidden'
        lang.name = 'lang'
        lang.value = link.getAttribute('data-lang')
        keep.appendChild(lang)
        keep.submit()
      })
    })
  }
  const summary = document.querySelector('[data-error-summary]')
  if (summary) summary.focus()
  document.querySelectorAll('form').forEach((each) => {
    each.addEventListener('submit', () => {
      setTimeout(() => each.querySelectorAll('button').forEach((button) => { button.disabled = true }), 0)
    })
  })
  document.querySelectorAll('[data-print]').forEach((button) => {
    button.hidden = false
    button.addEventListener('click', () => window.print())
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
