import { describe, expect, it } from 'vitest'
import { splitSqlStatements } from './sql-script.ts'

describe('splitSqlStatements', () => {
  it.each([
    ['one statement without a semicolon', 'select 1', ['select 1']],
    ['two statements', 'select 1; select 2;', ['select 1', 'select 2']],
    [
      'a semicolon in a string',
      "insert into t values ('a;b'); select 1",
      ["insert into t values ('a;b')", 'select 1'],
    ],
    [
      'a doubled quote in a string',
      "select 'it''s; fine'; select 2",
      ["select 'it''s; fine'", 'select 2'],
    ],
    [
      'an E-string with a backslash quote',
      "select E'a\\';b'; select 2",
      ["select E'a\\';b'", 'select 2'],
    ],
    ['a quoted identifier', 'select 1 as "x;y"; select 2', ['select 1 as "x;y"', 'select 2']],
    [
      'a line comment',
      'select 1; -- not; a statement\nselect 2',
      ['select 1', '-- not; a statement\nselect 2'],
    ],
    [
      'a nested block comment',
      'select /* a /* b; */ c; */ 1; select 2',
      ['select /* a /* b; */ c; */ 1', 'select 2'],
    ],
    [
      'a dollar-quoted body',
      'create function f() returns int as $$ begin return 1; end $$ language plpgsql; select 2',
      ['create function f() returns int as $$ begin return 1; end $$ language plpgsql', 'select 2'],
    ],
    [
      'a tagged dollar quote containing $$',
      'do $body$ begin perform $$;$$; end $body$; select 2',
      ['do $body$ begin perform $$;$$; end $body$', 'select 2'],
    ],
    [
      'a positional parameter is not a dollar quote',
      'select $1; select 2',
      ['select $1', 'select 2'],
    ],
    ['comment-only trailing text', 'select 1;\n-- done\n', ['select 1']],
    ['nothing', '  \n ; ;', []],
  ])('handles %s', (_name, script, expected) => {
    expect(splitSqlStatements(script)).toEqual(expected)
  })
})
