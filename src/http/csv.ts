/**
 * CSV as RFC 4180 writes it (CRLF line ends, fields with a comma, quote or line break quoted,
 * quotes doubled), made safe for spreadsheets: a text cell starting with `=`, `+`, `-`, `@`, a
 * tab or a carriage return is prefixed with `'`, so it is shown as text and never run as a
 * formula (OWASP "CSV injection"). Numbers are written as numbers.
 */
export type CsvValue = string | number | bigint | boolean | null | undefined

const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function csvRow(values: CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`
}

/**
 * Streams a CSV file page by page: `nextPage(after)` returns the rows after the last one of the
 * previous page (keyset paging), so memory holds one page however many rows there are.
 */
export function csvStream<Row>(options: {
  header: string[]
  nextPage: (after: Row | undefined) => Promise<Row[]>
  toCells: (row: Row) => CsvValue[]
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let last: Row | undefined
  let started = false
  let done = false
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true
        controller.enqueue(encoder.encode(csvRow(options.header)))
        return
      }
      if (done) return
      const rows = await options.nextPage(last)
      if (rows.length === 0) {
        done = true
        controller.close()
        return
      }
      last = rows.at(-1)
      controller.enqueue(encoder.encode(rows.map((r) => csvRow(options.toCells(r))).join('')))
    },
  })
}

/** Headers for a CSV download named `filename`. */
export function csvHeaders(filename: string): Record<string, string> {
  return {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    'X-Content-Type-Options': 'nosniff',
  }
}
