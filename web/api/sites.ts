// GET /api/sites: the sites this install watches.
import { Hono } from 'hono';
import type { Env } from '../types.ts';

export const sitesApi = new Hono<Env>().get('/', (c) => c.json({ sites: c.get('sites') }));
