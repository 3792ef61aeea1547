// Finds, reads and validates promowatch.config.json (plus the .env beside it) into a typed Config.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { EnvFileError, parseEnvFile } from './env-file.ts';
import { stripJsonComments } from './jsonc.ts';
import { configSchema, type Config, type SecretRef } from './schema.ts';

export const DEFAULT_CONFIG_FILE = 'promowatch.config.json';

/** A config problem: every line names the field and what was expected. The CLI exits with code 2. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  file: string;
  config: Config;
  /** process.env with the .env file underneath it (real environment variables win). */
  env: Record<string, string | undefined>;
  /** Resolves a secret reference, or throws a ConfigError naming the field and the variable. */
  secret(ref: SecretRef, field: string): string;
}

export function resolveConfigPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolve(flag ?? env.PROMOWATCH_CONFIG ?? DEFAULT_CONFIG_FILE);
}

/** `sites[0].baseUrl` from ['sites', 0, 'baseUrl']. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const p of path)
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

const SECRETISH = /(password|secret|token|key|webhook|smtp|auth)/i;
// Whole sections where any value may be a credential written in the wrong place.
const SECRET_SECTIONS = new Set(['providers', 'notifications']);

/** Shows a value in an error, minus anything that could be a credential: URL user info and query. */
function shownValue(v: unknown): string {
  if (typeof v === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    try {
      const u = new URL(v);
      const hidden = u.username || u.password || u.search;
      u.username = '';
      u.password = '';
      u.search = '';
      return describeValue(u.href) + (hidden ? ' (credentials and query hidden)' : '');
    } catch {
      return 'a malformed URL';
    }
  }
  return describeValue(v);
}

export function formatIssue(iss: z.core.$ZodIssue, input: unknown): string {
  const at = fieldPath(iss.path);
  const where = at === '' ? 'the top level' : at;
  if (iss.code === 'unrecognized_keys') {
    const msg = iss.message.startsWith('has unknown')
      ? iss.message
      : `has unknown key(s) ${iss.keys.join(', ')}`;
    return `Config: ${where} ${msg}`;
  }
  let msg = iss.message;
  if (iss.code === 'invalid_type') {
    if (iss.message.startsWith('Invalid input'))
      msg = `must be ${iss.expected === 'object' ? 'an object' : `a ${iss.expected}`}`;
  } else if (iss.code === 'too_small' || iss.code === 'too_big') {
    if (iss.message.startsWith('Too'))
      msg = `must be ${iss.code === 'too_small' ? 'at least' : 'at most'} ${String(iss.code === 'too_small' ? iss.minimum : iss.maximum)}${iss.origin === 'array' ? ' items' : iss.origin === 'string' ? ' characters' : ''}`;
  } else if (iss.code === 'invalid_value' && iss.message.startsWith('Invalid input')) {
    msg = `must be one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  // Never echo what stands in a secret-looking field or section back to the terminal or a log.
  const secret = iss.path.some((p) => typeof p === 'string' && (SECRETISH.test(p) || SECRET_SECTIONS.has(p)));
  const got = secret ? '' : `, got ${shownValue(valueAt(input, iss.path))}`;
  return `Config: ${where} ${msg}${got}`;
}

/** "Unexpected token } in JSON at position 120" → line and column in the file. */
function jsonErrorMessage(text: string, err: Error): string {
  const m = /position (\d+)/.exec(err.message);
  if (!m) return err.message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos).split('\n');
  return `${err.message.replace(/ in JSON at position \d+.*$/, '')} at line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

/** Validates an already-parsed config object (the demo builds one in memory). */
export function validateConfig(input: unknown, jobNames: readonly string[]): Config {
  const res = configSchema(jobNames).safeParse(input);
  if (!res.success) throw new ConfigError(res.error.issues.map((iss) => formatIssue(iss, input)));
  return res.data;
}

export function makeSecretResolver(env: Record<string, string | undefined>, source: string) {
  return (ref: SecretRef, field: string): string => {
    const value = env[ref.env];
    if (value === undefined || value === '')
      throw new ConfigError([
        `Config: ${field} refers to environment variable ${ref.env}, which is not set (set it, or add it to ${source})`,
      ]);
    return value;
  };
}

/** A config section with every {"env": …} reference in it replaced by the variable's value. */
export function resolveSecrets(
  section: Record<string, unknown>,
  secret: (ref: SecretRef, field: string) => string,
  fieldPrefix: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(section)) {
    const isRef =
      typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as SecretRef).env === 'string';
    out[k] = isRef ? secret(v as SecretRef, `${fieldPrefix}.${k}`) : v;
  }
  return out;
}

export function loadConfig(
  file: string,
  processEnv: NodeJS.ProcessEnv,
  jobNames: readonly string[],
): LoadedConfig {
  if (!existsSync(file))
    throw new ConfigError([
      `Config: ${file} not found; run "promowatch init" to write an example, or pass --config FILE`,
    ]);
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let input: unknown;
  try {
    // Comments are allowed (the file `promowatch init` writes explains every option in them).
    input = JSON.parse(stripJsonComments(text));
  } catch (err) {
    throw new ConfigError([`Config: ${file} is not valid JSON: ${jsonErrorMessage(text, err as Error)}`]);
  }
  const envFile = join(dirname(file), '.env');
  let fromFile: Record<string, string> = {};
  if (existsSync(envFile)) {
    try {
      fromFile = parseEnvFile(readFileSync(envFile, 'utf8'), envFile);
    } catch (err) {
      if (err instanceof EnvFileError) throw new ConfigError([err.message]);
      throw err;
    }
  }
  const env = { ...fromFile, ...processEnv };
  const config = validateConfig(input, jobNames);
  return { file, config, env, secret: makeSecretResolver(env, envFile) };
}
