// JSON with comments: what `promowatch init` writes (every option explained beside it) and the loader reads.

/** Calls `other(i)` for each position outside a JSON string, copying strings (escapes included) as they are. */
function scan(text: string, other: (i: number) => { out: string; next: number }): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      // A string is copied whole, so "http://…" is never taken for a comment nor ",]" for a trailing comma.
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      const r = other(i);
      out += r.out;
      i = r.next;
    }
  }
  return out;
}

/**
 * JSON with comments (// and /* *\/) and trailing commas, made plain JSON: comments and those commas
 * are blanked out (newlines kept), so JSON.parse reads it and its error positions still point at the
 * same line and column of the file. Trailing commas are allowed so that uncommenting an option of the
 * example never needs a comma fixed elsewhere.
 */
export function stripJsonComments(text: string): string {
  const noComments = scan(text, (i) => {
    if (text[i] === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      return { out: ' '.repeat(stop - i), next: stop };
    }
    if (text[i] === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      return { out: text.slice(i, stop).replace(/[^\n]/g, ' '), next: stop };
    }
    return { out: text[i]!, next: i + 1 };
  });
  const nextVisible = /\S/g;
  return scan(noComments, (i) => {
    if (noComments[i] !== ',') return { out: noComments[i]!, next: i + 1 };
    nextVisible.lastIndex = i + 1;
    const after = nextVisible.exec(noComments)?.[0];
    return { out: after === '}' || after === ']' ? ' ' : ',', next: i + 1 };
  });
}

const NOTED = Symbol('noted');

/** A value with the comment written above it; `off` writes the whole entry as a comment (an option shown, not set). */
export interface Noted {
  [NOTED]: true;
  note: string | null;
  value: unknown;
  off: boolean;
}

/** A value with a comment above it. */
export function note(text: string, value: unknown): Noted {
  return { [NOTED]: true, note: text, value, off: false };
}

/** An option shown commented out: what it looks like, without changing what the config does. */
export function off(text: string, value: unknown): Noted {
  return { [NOTED]: true, note: text, value, off: true };
}

export function isNoted(v: unknown): v is Noted {
  return typeof v === 'object' && v !== null && NOTED in v;
}

/** The plain value: comments dropped, commented-out entries left out (what the loader will see). */
export function plainValue(v: unknown): unknown {
  if (isNoted(v)) return plainValue(v.value);
  if (Array.isArray(v)) return v.filter((x) => !(isNoted(x) && x.off)).map(plainValue);
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => !(isNoted(x) && x.off))
        .map(([k, x]) => [k, plainValue(x)]),
    );
  return v;
}

function hasNotes(v: unknown): boolean {
  if (isNoted(v)) return true;
  if (Array.isArray(v)) return v.some(hasNotes);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasNotes);
  return false;
}

/** JSON text with each note as // lines above its entry; two-space indent like JSON.stringify(v, null, 2). */
export function renderJsonc(v: unknown, indent = ''): string {
  if (isNoted(v)) return renderJsonc(v.value, indent);
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  // Short plain values stay on one line: ["/", "/portfolio/"], {"env": "SMTP_PASSWORD"}.
  const flat = JSON.stringify(v, null, 1)?.replace(/\n\s*/g, ' ');
  if (!hasNotes(v) && flat && flat.length + indent.length <= 90)
    return flat.replace(/\[ /g, '[').replace(/ \]/g, ']');
  const inner = indent + '  ';
  const entries: { key: string | null; value: unknown }[] = Array.isArray(v)
    ? v.map((value) => ({ key: null, value }))
    : Object.entries(v).map(([key, value]) => ({ key, value }));
  if (entries.length === 0) return Array.isArray(v) ? '[]' : '{}';
  const lines: string[] = [];
  entries.forEach((e, i) => {
    const n = isNoted(e.value) ? e.value : null;
    if (n?.note) for (const line of n.note.split('\n')) lines.push(`${inner}// ${line}`);
    // A comma after every entry but the last, commented-out ones too: uncommenting one keeps the file
    // valid (the loader takes trailing commas).
    const body = `${e.key === null ? '' : `${JSON.stringify(e.key)}: `}${renderJsonc(e.value, inner)}${i < entries.length - 1 ? ',' : ''}`;
    // Continuation lines already start with at least `inner`; the // goes right after it.
    if (n?.off)
      lines.push(...body.split('\n').map((l, j) => `${inner}// ${j === 0 ? l : l.slice(inner.length)}`));
    else lines.push(`${inner}${body}`);
  });
  return `${Array.isArray(v) ? '[' : '{'}\n${lines.join('\n')}\n${indent}${Array.isArray(v) ? ']' : '}'}`;
}
