// Encodes text as windows-1251, so the demo can serve a Russian page the way older Russian sites still do.
// Node's TextEncoder only writes UTF-8; the table is the Cyrillic part of
// https://www.unicode.org/Public/MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1251.TXT

const EXTRA: Record<string, number> = {
  Ё: 0xa8,
  ё: 0xb8,
  '«': 0xab,
  '»': 0xbb,
  '—': 0x97,
  '–': 0x96,
  '№': 0xb9,
  '…': 0x85,
  ' ': 0xa0,
};

export function encodeCp1251(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  let i = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out[i++] = code;
    else if (code >= 0x410 && code <= 0x44f) out[i++] = code - 0x410 + 0xc0;
    else if (EXTRA[ch] !== undefined) out[i++] = EXTRA[ch]!;
    else out[i++] = 0x3f; // '?': the demo text sticks to characters the code page has
  }
  return out.subarray(0, i);
}
