// Recognises the pages a search engine shows instead of results (consent walls, "unusual traffic" and
// captcha challenges), so they stop browser checks instead of reading as "the site is not in the top".
import { safeUrl, type PageFacts } from './page.ts';

export type { SerpLink, SerpParse } from './page.ts';

/**
 * Text-only signals (the wording of a captcha page) count only when the page has no result list: a result
 * snippet may well quote "unusual traffic" or "I'm not a robot". Structural signals (the URL, the captcha
 * form, the challenge script) count always.
 */
export interface BlockInput {
  facts: PageFacts;
  pageUrl: string;
  hasResultList: boolean;
}

const GOOGLE_SORRY =
  'Google answered with its "unusual traffic" CAPTCHA page (/sorry/): it takes these requests for a robot. ' +
  'Lower the pace (providers.browserSerp.delayMs), wait a few hours, or use a SERP API for Google';
const GOOGLE_CONSENT =
  'Google answered with its cookie consent page ("Before you continue") instead of results; ' +
  'checks from this machine cannot get past it';

/** https://support.google.com/websearch/answer/86640 (the "unusual traffic" page), consent.google.com. */
export function googleBlock({ facts, pageUrl, hasResultList }: BlockInput): string | null {
  const u = safeUrl(pageUrl);
  if (u && /^consent\./.test(u.hostname)) return GOOGLE_CONSENT;
  if (u && u.pathname.startsWith('/sorry/')) return GOOGLE_SORRY;
  if (facts.ids.has('captcha-form') || facts.formActions.some((a) => a.includes('/sorry/')))
    return GOOGLE_SORRY;
  if (hasResultList) return null;
  // A consent dialog drawn over a result list leaves the results readable; a consent page has none.
  if (facts.formActions.some((a) => /consent\.(google|youtube)\./.test(a))) return GOOGLE_CONSENT;
  if (
    facts.classes.has('g-recaptcha') ||
    /detected unusual traffic|unusual traffic from your/i.test(facts.text)
  )
    return GOOGLE_SORRY;
  if (
    /before you continue to google|прежде чем перейти к google|bevor sie zu google weitergehen/i.test(
      facts.text,
    )
  )
    return GOOGLE_CONSENT;
  return null;
}

const YANDEX_CAPTCHA =
  'Yandex answered with its SmartCaptcha page ("Are you not a robot?", /showcaptcha): it takes these ' +
  'requests for a robot. Lower the pace (providers.browserSerp.delayMs), wait a few hours, or use a SERP API for Yandex';

/** https://yandex.cloud/en/docs/smartcaptcha/ — the checkbox ("Я не робот") and the picture task. */
export function yandexBlock({ facts, pageUrl, hasResultList }: BlockInput): string | null {
  const u = safeUrl(pageUrl);
  if (u && /^\/(showcaptcha|checkcaptcha)/.test(u.pathname)) return YANDEX_CAPTCHA;
  if (facts.formActions.some((a) => /checkcaptcha|showcaptcha/.test(a))) return YANDEX_CAPTCHA;
  if (['CheckboxCaptcha', 'CheckboxCaptcha-Button', 'AdvancedCaptcha'].some((c) => facts.classes.has(c)))
    return YANDEX_CAPTCHA;
  if (facts.embeds.some((e) => /smartcaptcha/i.test(e))) return YANDEX_CAPTCHA;
  if (hasResultList) return null;
  if (/вы не робот|я не робот|are you not a robot|i'm not a robot/i.test(`${facts.title} ${facts.text}`))
    return YANDEX_CAPTCHA;
  return null;
}

const BING_CHALLENGE =
  'Bing answered with a "verify you are human" challenge instead of results. ' +
  'Lower the pace (providers.browserSerp.delayMs), wait a few hours, or use a SERP API for Bing';

/** Bing's challenge lives at /turing/captcha/challenge and is drawn with Cloudflare Turnstile. */
export function bingBlock({ facts, pageUrl, hasResultList }: BlockInput): string | null {
  const u = safeUrl(pageUrl);
  if (u && u.pathname.includes('/turing/captcha')) return BING_CHALLENGE;
  if (facts.embeds.some((e) => e.includes('/turing/captcha'))) return BING_CHALLENGE;
  if (hasResultList) return null;
  if (facts.ids.has('b_captcha') || facts.embeds.some((e) => e.includes('challenges.cloudflare.com')))
    return BING_CHALLENGE;
  if (/one last step|solve the challenge|verify you are (a )?human/i.test(facts.text)) return BING_CHALLENGE;
  return null;
}
