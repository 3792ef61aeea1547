// Lists with nothing in them say so and name the command that fills them, on stderr; --json stays [].
import { describe, expect, it } from 'vitest';
import { cliInProcess as cli } from './in-process.ts';

describe('empty lists', () => {
  it('keywords list on a site with none says so and how to add one', async () => {
    const run = cli();
    const r = await run('keywords', 'list');
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      'No keywords for site studio yet — add one with `promowatch keywords add "QUERY" --engine yandex --lr 213` or import a CSV with `promowatch keywords import FILE`',
    );
    expect((await run('keywords', 'list', '--json')).out).toBe('[]');
  });

  it('names --site in the suggested command when the install watches several sites', async () => {
    const run = cli(['studio', 'bakery']);
    const r = await run('keywords', 'list', '--site', 'bakery');
    expect(r.err).toContain('No keywords for site bakery yet');
    expect(r.err).toContain('`promowatch keywords add "QUERY" --engine yandex --lr 213 --site bakery`');
  });

  it('keywords list with a filter nothing matches says the filter matched none', async () => {
    const run = cli();
    await run('keywords', 'add', 'motion design', '--engine', 'google', '--gl', 'ru', '--hl', 'ru');
    const r = await run('keywords', 'list', '--tag', 'video');
    expect(r.err).toBe(
      'No keywords for site studio match --tag video (1 tracked in all) — see them with `promowatch keywords list`',
    );
  });

  it('competitors, ad accounts and positions say so too', async () => {
    const run = cli();
    expect((await run('keywords', 'competitors')).err).toBe(
      'No competitors for site studio yet — add one with `promowatch keywords add-competitor DOMAIN`',
    );
    const ads = await run('ads', 'accounts');
    expect(ads.code).toBe(0);
    expect(ads.err).toMatch(
      /^No ad accounts for site studio yet — add one with `promowatch ads accounts add /,
    );
    expect((await run('ads', 'accounts', '--json')).out).toBe('[]');
    const rank = await run('rank');
    expect(rank.code).toBe(0);
    expect(rank.err).toMatch(/^No keywords for site studio yet — add one with `promowatch keywords add /);
    expect((await run('rank', '--json')).out).toBe('[]');
  });
});
