// Config field types shared by the config schema and the sources that describe their own config blocks
// (rank providers…): kept apart from schema.ts, which imports those sources' registries.
import { z } from 'zod';

// Upper case only: a lower-case "name" is more likely a pasted secret than a variable.
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** A strict object whose "unknown key" message lists the keys it does accept. */
export function obj<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `has unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')} (expected: ${known})`
        : undefined,
  });
}

/** A secret is never written in the file: it is a reference {"env": "VAR"} to the environment (or .env). */
export const secretRef = z
  .unknown()
  .superRefine((v, ctx) => {
    if (typeof v === 'string')
      ctx.addIssue({
        code: 'custom',
        message:
          'is a literal secret; secrets must not be written in the config: put the value in the environment or in .env next to the config, and write {"env": "VAR_NAME"} here',
      });
    else if (
      typeof v !== 'object' ||
      v === null ||
      Object.keys(v).length !== 1 ||
      typeof (v as { env?: unknown }).env !== 'string' ||
      !ENV_NAME.test((v as { env: string }).env)
    )
      ctx.addIssue({
        code: 'custom',
        message:
          'must be a reference to an environment variable, like {"env": "VAR_NAME"} (upper-case letters, digits, _)',
      });
  })
  .transform((v) => v as { env: string });
export type SecretRef = z.infer<typeof secretRef>;

export const httpUrl = z.string({ error: 'must be an absolute http(s) URL' }).refine(
  (s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  },
  { error: 'must be an absolute http(s) URL without user or password in it' },
);

/** An optional whole number within [min, max]. */
export const int = (min: number, max: number) => z.number().int().min(min).max(max).optional();
