/**
 * A strict RFC 4180 reader for the exports under test: every record ends with CRLF, a quote may
 * only open a field, and a bare CR, LF or quote outside quotes is an error (so a writer that
 * forgot to quote is caught, not silently read).
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let wasQuoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch !== '"') field += ch
      else if (text[i + 1] === '"') {
        field += '"'
        i++
      } else {
        quoted = false
        if (text[i + 1] !== ',' && text[i + 1] !== '\r') {
          throw new Error(`text after a closing quote at ${i}`)
        }
      }
      continue
    }
    if (ch === '"' && field === '' && !wasQuoted) {
      quoted = true
      wasQuoted = true
    } else if (ch === ',') {
      row.push(field)
      field = ''
      wasQuoted = false
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      wasQuoted = false
      i++
    } else if (ch === '"' || ch === '\r' || ch === '\n') {
      throw new Error(`bare ${JSON.stringify(ch)} outside quotes at ${i}`)
    } else {
      field += ch
    }
  }
  if (quoted) throw new Error('the file ends inside a quoted field')
  if (field !== '' || row.length > 0) throw new Error('the last record does not end with CRLF')
  return rows
}
