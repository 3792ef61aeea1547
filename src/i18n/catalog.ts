// The shape every language's catalogue must have: the English catalogue of an area is the reference,
// and `Catalog<typeof en>` makes a key missing (or extra, or with other parameters) in another
// language a type error, so `tsc` fails before a page shows a hole.

/** A message: a fixed string, or a function of typed values that returns the whole sentence. */
export type Message = string | ((...args: never[]) => string);

export type Catalog<T> = {
  [K in keyof T]: T[K] extends string
    ? string
    : T[K] extends (...args: infer A) => string
      ? (...args: A) => string
      : Catalog<T[K]>;
};

/** Every fixed string of a catalogue with its dotted key (functions are skipped: they need values). */
export function fixedStrings(catalog: object, prefix = ''): [key: string, text: string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(catalog)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.push([key, v]);
    else if (v && typeof v === 'object') out.push(...fixedStrings(v, key));
  }
  return out;
}
