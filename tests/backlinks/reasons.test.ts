// Verdict reasons as codes: the English text the database keeps (unchanged from before codes), read back
// by parseReason(), and worded in Russian from the catalogue.
import { describe, expect, it } from 'vitest';
import {
  parseReason,
  readHidden,
  reasonText,
  showReasons,
  type Reason,
  type ReasonCode,
} from '../../src/backlinks/reasons.ts';
import { englishStrings, formatter, messages } from '../../src/i18n/index.ts';

/** At least one reason of every code (the Record makes a new code without a sample a type error). */
const SAMPLES: Record<ReasonCode, Reason[]> = {
  'no-answer': [{ code: 'no-answer' }],
  'fetch-failed': [{ code: 'fetch-failed', message: 'no complete answer within 300 ms' }],
  'bot-wall': [
    { code: 'bot-wall', wall: 'captcha' },
    { code: 'bot-wall', wall: 'browser challenge' },
    { code: 'bot-wall', wall: 'access denied page' },
  ],
  blocked: [{ code: 'blocked', status: 403 }],
  'server-error': [{ code: 'server-error', status: 503 }],
  'page-gone': [{ code: 'page-gone', status: 410 }],
  'http-error': [{ code: 'http-error', status: 451 }],
  redirected: [
    { code: 'redirected', to: 'https://donor.example/elsewhere', byJs: false },
    { code: 'redirected', to: 'https://donor.example/landing', byJs: true },
  ],
  'page-noindex': [{ code: 'page-noindex' }],
  'canonical-elsewhere': [{ code: 'canonical-elsewhere', to: 'https://donor.example/other/' }],
  'body-cut': [
    { code: 'body-cut', megabytes: 5, decompressed: false },
    { code: 'body-cut', megabytes: 2.5, decompressed: true },
  ],
  'in-comment': [{ code: 'in-comment' }],
  removed: [{ code: 'removed' }],
  'in-script': [{ code: 'in-script' }],
  rel: [
    { code: 'rel', rel: 'nofollow' },
    { code: 'rel', rel: 'sponsored' },
    { code: 'rel', rel: 'ugc' },
  ],
  hidden: [
    { code: 'hidden', hidden: { how: 'opacity:0', onParent: false } },
    { code: 'hidden', hidden: { how: 'display:none', onParent: true } },
    { code: 'hidden', hidden: { how: 'same-colour', onParent: false, seenOn: '2026-11-20' } },
    { code: 'hidden', hidden: { how: 'visibility:hidden', onParent: true, seenOn: '2026-11-20' } },
    { code: 'hidden', hidden: { how: 'font-size:0', onParent: false } },
    { code: 'hidden', hidden: { how: 'zero-size', onParent: false } },
    { code: 'hidden', hidden: { how: 'off-screen', onParent: false } },
  ],
  'robots-blocks': [
    { code: 'robots-blocks', engine: 'google' },
    { code: 'robots-blocks', engine: 'yandex' },
  ],
  'noindex-for': [
    { code: 'noindex-for', engine: 'google' },
    { code: 'noindex-for', engine: 'yandex' },
  ],
  'meta-nofollow': [
    { code: 'meta-nofollow', engine: 'google' },
    { code: 'meta-nofollow', engine: 'yandex' },
  ],
  'in-noindex': [
    { code: 'in-noindex', marker: 'tag' },
    { code: 'in-noindex', marker: 'comment' },
  ],
  'only-after-js': [{ code: 'only-after-js' }],
  'outside-body': [{ code: 'outside-body' }],
  'in-form': [{ code: 'in-form' }],
  'cloaking-status': [{ code: 'cloaking-status', bot: 403, browser: 200 }],
  'cloaking-link': [
    { code: 'cloaking-link', shownTo: 'googlebot' },
    { code: 'cloaking-link', shownTo: 'browsers' },
  ],
  'render-failed': [{ code: 'render-failed', message: 'net::ERR_CONNECTION_REFUSED' }],
  text: [{ code: 'text', text: 'a reason worded by an older version' }],
};
const ALL = Object.values(SAMPLES).flat();

const ru = messages('ru').backlinks.reasons;
const ruFmt = formatter('ru', 'Europe/Moscow');
/** Intl separates groups and units with no-break spaces; compare with plain ones. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('reasonText() and parseReason()', () => {
  it('store the English texts the database has always held', () => {
    // Texts as earlier versions wrote them, before reasons had codes: old rows must read the same.
    const before: [Reason, string][] = [
      [{ code: 'removed' }, 'link removed'],
      [{ code: 'rel', rel: 'nofollow' }, 'rel="nofollow"'],
      [{ code: 'in-noindex', marker: 'tag' }, 'inside <noindex>: Yandex ignores it'],
      [
        { code: 'hidden', hidden: { how: 'display:none', onParent: true } },
        'hidden: display:none (on a parent)',
      ],
      [{ code: 'hidden', hidden: { how: 'zero-size', onParent: false } }, 'hidden: zero size'],
      [{ code: 'blocked', status: 429 }, 'answered 429 (blocked or rate-limited, not proof of removal)'],
      [{ code: 'page-gone', status: 404 }, 'page gone (404)'],
      [
        { code: 'body-cut', megabytes: 20, decompressed: true },
        'page larger than 20 MB once decompressed; link not found in the first 20 MB',
      ],
      [{ code: 'bot-wall', wall: 'captcha' }, 'bot wall: captcha'],
      [{ code: 'meta-nofollow', engine: 'yandex' }, 'meta robots nofollow (Yandex)'],
    ];
    for (const [reason, text] of before) {
      expect(reasonText(reason)).toBe(text);
      expect(parseReason(text)).toEqual(reason);
    }
  });

  it('read back every code from its stored text, values and all', () => {
    for (const r of ALL) expect(parseReason(reasonText(r)), reasonText(r)).toEqual(r);
    // Different reasons never share a text.
    expect(new Set(ALL.map((r) => reasonText(r))).size).toBe(ALL.length);
  });

  it('keep a text no pattern knows as it is, in every language', () => {
    expect(parseReason('connect ECONNREFUSED 127.0.0.1:9')).toEqual({
      code: 'text',
      text: 'connect ECONNREFUSED 127.0.0.1:9',
    });
    expect(parseReason('hidden: behind a popup')).toEqual({ code: 'text', text: 'hidden: behind a popup' });
    expect(parseReason('bot wall: a dragon')).toEqual({ code: 'text', text: 'bot wall: a dragon' });
    expect(showReasons(['an old wording', 'link removed'], ru, ruFmt)).toBe('an old wording; ссылка снята');
  });

  it('word every reason in Russian, with no fixed English reason left', () => {
    const english = englishStrings()
      .filter(([key, s]) => key.startsWith('backlinks.reasons.') && s.length >= 4)
      .map(([, s]) => s)
      .filter((s) => !/^[a-z-]+:[a-z0-9]+$/.test(s)); // CSS as written: display:none, opacity:0
    for (const r of ALL.filter((x) => x.code !== 'text' && x.code !== 'rel')) {
      const text = reasonText(r, ru, ruFmt);
      expect(text, reasonText(r)).not.toBe(reasonText(r));
      for (const s of english) expect(text, `${reasonText(r)} → ${text}`).not.toContain(s);
    }
  });

  it('speak the Russian words of the glossary, with Russian numbers and dates', () => {
    const say = (r: Reason) => plain(reasonText(r, ru, ruFmt));
    expect(say({ code: 'in-noindex', marker: 'tag' })).toBe('в noindex: Яндекс её не учитывает');
    expect(say({ code: 'removed' })).toBe('ссылка снята');
    expect(say({ code: 'body-cut', megabytes: 2.5, decompressed: true })).toBe(
      'страница больше 2,5 МБ после распаковки; в первых 2,5 МБ ссылки нет',
    );
    expect(say({ code: 'hidden', hidden: { how: 'opacity:0', onParent: true, seenOn: '2026-11-20' } })).toBe(
      'скрыта: opacity:0 (у родительского элемента) (по проверке в браузере от 20 нояб. 2026 г.; страница с тех пор не менялась)',
    );
    expect(say({ code: 'hidden', hidden: { how: 'same-colour', onParent: false } })).toBe(
      'скрыта: цвет текста совпадает с фоном',
    );
    expect(say({ code: 'bot-wall', wall: 'captcha' })).toBe('вместо страницы — капча');
    expect(say({ code: 'rel', rel: 'sponsored' })).toBe('rel="sponsored"');
    expect(say({ code: 'robots-blocks', engine: 'yandex' })).toBe('robots.txt закрывает страницу от Яндекса');
    // Links and messages from elsewhere stay as they were written.
    expect(say({ code: 'redirected', to: 'https://donor.example/новое', byJs: true })).toBe(
      'редирект на другую страницу: https://donor.example/новое (через JavaScript)',
    );
    expect(showReasons(['rel="nofollow"', 'inside <!--noindex-->: Yandex ignores it'], ru, ruFmt)).toBe(
      'rel="nofollow"; в noindex (<!--noindex-->): Яндекс её не учитывает',
    );
  });
});

describe('readHidden()', () => {
  it('reads a hidden finding stored as a code, or as English text by an earlier version', () => {
    expect(readHidden({ how: 'opacity:0', onParent: false })).toEqual({ how: 'opacity:0', onParent: false });
    expect(readHidden('display:none (on a parent)')).toEqual({ how: 'display:none', onParent: true });
    expect(readHidden('text colour equals its background')).toEqual({ how: 'same-colour', onParent: false });
    expect(readHidden(null)).toBeNull();
    expect(readHidden('behind a popup')).toBeNull();
    expect(readHidden({ how: 'teleported' })).toBeNull();
  });
});
