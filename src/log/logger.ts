import type { LogLevel } from '../config.ts'
import { redact, scrubCardNumbers } from './redact.ts'

export type LogFields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  child(bindings: LogFields): Logger
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }

export interface LoggerOptions {
  level: LogLevel
  /** Receives one JSON document per call, without a trailing newline. */
  write: (line: string) => void
  now?: () => Date
  bindings?: LogFields
}

/** Structured JSON logger: one line per entry, secrets redacted before anything is written. */
export function createLogger(options: LoggerOptions): Logger {
  const { level, write, now = () => new Date(), bindings = {} } = options
  const emit = (entryLevel: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (rank[entryLevel] < rank[level]) return
    const entry = {
      time: now().toISOString(),
      level: entryLevel,
      msg: scrubCardNumbers(msg),
      ...(redact({ ...bindings, ...fields }) as LogFields),
    }
    write(JSON.stringify(entry))
  }
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (extra) => createLogger({ level, write, now, bindings: { ...bindings, ...extra } }),
  }
}
