// Areas whose jobs are not built yet: each page says what will fill it, rather than showing empty charts.
import { Hono } from 'hono';
import { emptyState, layout } from '../layout.ts';
import type { Env } from '../types.ts';

const AREAS = [
  {
    path: '/reports',
    title: 'Reports',
    what: 'Weekly reports are archived here',
    how: 'once the weekly-report job exists.',
  },
] as const;

export const placeholderPages = new Hono<Env>();
for (const a of AREAS)
  placeholderPages.get(a.path, (c) =>
    layout(c, a.title, emptyState(`${a.what}`, `Not built yet: this page fills ${a.how}`)),
  );
