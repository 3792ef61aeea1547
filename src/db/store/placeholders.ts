// Rewrites promowatch's portable SQL for PostgreSQL: `?` and `@name` placeholders become `$1, $2…`, and
// mixed-case names (`created_at AS createdAt`) are double-quoted, since PostgreSQL folds unquoted names
// to lower case (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS)
// while SQLite keeps them as written. The schema's own names are all lower case, so a mixed-case bare
// word can only be an alias the code reads back by that exact name. Pure: a function of the text.

export interface PgStatement {
  text: string;
  /** `?` placeholders: how many. */
  positional: number;
  /** `@name` placeholders: the name behind each `$n`, in order (a name used twice shares one `$n`). */
  names: string[];
}

/**
 * Whether the placeholder ending at `at` is tested for NULL (`@tag IS NULL OR …`, a common "optional
 * filter"). PostgreSQL cannot infer a parameter's type from `$1 IS NULL` and refuses the statement
 * ("could not determine data type of parameter $1"), even when `tag = $1` follows; so that test gets its
 * own parameter cast to text — it only asks whether the value is null, which text answers for any value.
 */
function nullTest(sql: string, at: number): boolean {
  return /^\s+IS\s+(NOT\s+)?NULL\b/i.test(sql.slice(at, at + 40));
}

/** Translates once; the result depends only on the text, so it is cached by it. */
export function toPostgres(sql: string): PgStatement {
  let text = '';
  let positional = 0;
  const names: string[] = [];
  /** The `$n` each name's plain uses share (an `@x IS NULL` test has a slot of its own). */
  const plain = new Map<string, number>();
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      // A string literal or quoted name, '' / "" being the escaped quote inside it.
      let j = i + 1;
      while (j < n) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      text += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const j = end === -1 ? n : end;
      text += sql.slice(i, j);
      i = j;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const j = end === -1 ? n : end + 2;
      text += sql.slice(i, j);
      i = j;
    } else if (c === '?') {
      if (names.length) throw new Error(`SQL mixes ? and @name placeholders: ${sql}`);
      i++;
      text += `$${++positional}${nullTest(sql, i) ? '::text' : ''}`;
    } else if (c === '@' && next !== undefined && /[A-Za-z_]/.test(next)) {
      if (positional) throw new Error(`SQL mixes ? and @name placeholders: ${sql}`);
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(sql[j]!)) j++;
      const name = sql.slice(i + 1, j);
      if (nullTest(sql, j)) {
        // Its own typed slot: see nullTest().
        text += `$${names.push(name)}::text`;
      } else {
        let k = plain.get(name);
        if (k === undefined) plain.set(name, (k = names.push(name)));
        text += `$${k}`;
      }
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      const word = sql.slice(i, j);
      text += /[a-z]/.test(word) && /[A-Z]/.test(word) ? `"${word}"` : word;
      i = j;
    } else {
      text += c;
      i++;
    }
  }
  return { text, positional, names };
}

/** The values in `$n` order for a translated statement; names a missing parameter or a wrong count. */
export function pgValues(
  stmt: PgStatement,
  params: readonly unknown[] | Readonly<Record<string, unknown>> | undefined,
): unknown[] {
  if (stmt.names.length) {
    if (!params || Array.isArray(params))
      throw new Error(`the SQL takes named parameters (@${stmt.names.join(', @')}): pass an object`);
    const named = params as Readonly<Record<string, unknown>>;
    return stmt.names.map((name) => {
      if (!(name in named)) throw new Error(`missing named parameter @${name}`);
      return named[name];
    });
  }
  const list = params === undefined ? [] : params;
  if (!Array.isArray(list)) {
    if (stmt.positional === 0 && Object.keys(list).length === 0) return [];
    throw new Error(`the SQL takes ${stmt.positional} ? parameter(s): pass an array`);
  }
  if (list.length !== stmt.positional)
    throw new Error(`the SQL takes ${stmt.positional} ? parameter(s), got ${list.length}`);
  return [...list];
}
