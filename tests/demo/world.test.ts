import { describe, expect, it } from 'vitest';
import { defaultScenario, startWorld } from '../../src/demo/world.ts';
import { onCleanup } from '../helpers.ts';

describe('demo world', () => {
  it('serves a Russian page in windows-1251 that decodes to correct Cyrillic', async () => {
    const now = new Date('2026-11-27T09:00:00Z');
    const world = await startWorld(
      () => ({ delayMs: 0, down: () => false }),
      now,
      () => now,
    );
    onCleanup(() => world.close());
    const studio = world.sites.find((s) => s.name === 'studio')!;
    const res = await fetch(`${studio.url}ru/o-studii/`);
    expect(res.headers.get('content-type')).toBe('text/html; charset=windows-1251');
    const html = new TextDecoder('windows-1251').decode(await res.arrayBuffer());
    expect(html).toContain('<title>О студии — Кадр, дизайн и видеопродакшн</title>');
    expect(html).toContain('Съёмка, монтаж, анимация');
    const sitemap = await (await fetch(`${studio.url}sitemap.xml`)).text();
    expect(sitemap).toContain(`<loc>${studio.url}ru/o-studii/</loc>`);
    expect(await (await fetch(`${studio.url}robots.txt`)).text()).toContain(
      `Sitemap: ${studio.url}sitemap.xml`,
    );
  });

  it('follows the simulated clock: the portfolio is down during the outage and fine after', async () => {
    const now = new Date('2026-11-27T09:00:00Z');
    const world = await startWorld(defaultScenario(now), now, () => now);
    onCleanup(() => world.close());
    const studio = world.sites.find((s) => s.name === 'studio')!;
    world.setClock(new Date(now.getTime() - 9 * 86_400_000));
    expect((await fetch(`${studio.url}portfolio/`)).status).toBe(503);
    expect((await fetch(studio.url)).status).toBe(200);
    world.setClock(new Date(now.getTime() - 86_400_000));
    expect((await fetch(`${studio.url}portfolio/`)).status).toBe(200);
  });

  it('follows the live clock it is given once no simulated instant is set, not the real one', async () => {
    const now = new Date('2026-11-27T09:00:00Z');
    let live = new Date(now.getTime() - 9 * 86_400_000);
    const world = await startWorld(defaultScenario(now), now, () => live);
    onCleanup(() => world.close());
    const studio = world.sites.find((s) => s.name === 'studio')!;
    world.setClock(new Date(now.getTime() - 86_400_000));
    expect((await fetch(`${studio.url}portfolio/`)).status).toBe(200);
    world.setClock(null);
    expect((await fetch(`${studio.url}portfolio/`)).status).toBe(503);
    live = now;
    expect((await fetch(`${studio.url}portfolio/`)).status).toBe(200);
  });
});
