/** `$24.50` from 2450 minor units of AUD; other currencies are spelled out. */
export function displayMoney(minor: bigint, currency: string): string {
  const abs = minor < 0n ? -minor : minor
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cents = (abs % 100n).toString().padStart(2, '0')
  const sign = minor < 0n ? '−' : ''
  return currency === 'AUD' ? `${sign}$${whole}.${cents}` : `${sign}${currency} ${whole}.${cents}`
}

export function displayPoints(points: bigint): string {
  const n = points.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return points === 1n ? '1 point' : `${n} points`
}

// Building an Intl.DateTimeFormat costs a thousand times more than using one; they are immutable.
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-AU', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      hour12: true,
      timeZoneName: 'short',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** `28 Nov 2026, 8:30 pm AEDT` in the customer's time zone. */
export function displayTime(at: Date, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(at)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('day')} ${get('month')} ${get('year')}, ${get('hour')}:${get('minute')} ${get('dayPeriod').toLowerCase()} ${get('timeZoneName')}`
}
