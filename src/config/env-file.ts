// Reads a .env file (KEY=value lines) without ever echoing a value in an error message.

export class EnvFileError extends Error {}

/** Parses KEY=value lines; `#` comments, blank lines, optional `export `, single or double quotes. */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new EnvFileError(`Config: ${file} line ${i + 1} must look like NAME=value`);
    let value = m[2]!;
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else if (q === '"' || q === "'") {
      throw new EnvFileError(`Config: ${file} line ${i + 1} (${m[1]}) opens a quote it does not close`);
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    out[m[1]!] = value;
  });
  return out;
}
