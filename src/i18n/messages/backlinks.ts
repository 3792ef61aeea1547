// Kept whole: a message catalogue is one list (en, and ru typed against it); splitting scatters its words.
// Messages of the backlinks area: the Backlinks pages, their chart JSON and CSV headers, the verdict
// reasons (src/backlinks/reasons.ts renders them from codes), what backlink tools said, and the checks of
// a link as a person typed it. Russian wording follows src/i18n/glossary.md and the words of the link
// exchanges (донор, акцептор, анкор, продавец, продление).
import type { Catalog } from '../catalog.ts';
import { formatter } from '../format.ts';

const enF = formatter('en');
const ruF = formatter('ru');

type Engine = 'google' | 'yandex';
/** A link's state; the ids stay in URLs, CSS classes, the CSV and the database. */
type States = Record<'live' | 'devalued' | 'lost' | 'inconclusive' | 'unchecked', string>;

/** What the link page says about a link, each part already formatted (null: unknown). */
interface LinkSummary {
  kind: string;
  vendor: string | null;
  price: string | null;
  /** In words: "monthly", «ежемесячно». */
  billing: string;
  boughtOn: string | null;
  paidUntil: string | null;
}

export const en = {
  title: 'Backlinks',
  linkTitle: 'Backlink',
  back: '← Backlinks',
  states: {
    live: 'live',
    devalued: 'devalued',
    lost: 'lost',
    inconclusive: 'inconclusive',
    unchecked: 'not checked',
  } satisfies States,
  /** One check's outcome (a link is lost only once failing checks are confirmed). */
  outcomes: {
    live: 'live',
    devalued: 'devalued',
    missing: 'missing',
    gone: 'gone',
    inconclusive: 'inconclusive',
  },
  modes: { static: 'static', rendered: 'rendered' },
  kinds: {
    bought: 'bought',
    'press-release': 'press release',
    'guest-post': 'guest post',
    directory: 'directory',
    other: 'other',
  },
  billing: { 'one-off': 'one-off', monthly: 'monthly' },
  engines: { google: 'Google', yandex: 'Yandex' } satisfies Record<Engine, string>,
  cards: {
    live: 'Live',
    devalued: 'Devalued',
    lost: 'Lost (confirmed)',
    unsure: 'Inconclusive / not checked',
    costPerLiveDay: (currency: string) => `Cost per live link-day (${currency})`,
  },
  empty: {
    noLinks: 'No bought links yet.',
    noLinksHint: 'Add one below, or import a CSV with:',
  },
  charts: {
    links: 'Links by state, per day',
    linksAria: 'Links by state',
    wasted: 'Pro-rated cost of the days links were lost or devalued, per day (an estimate)',
    wastedAria: 'Pro-rated cost of dead days',
  },
  /** Axis titles and dataset labels of /api/backlinks/trend. */
  axis: {
    links: 'links',
    perDay: (currency: string) => `${currency} per day`,
    wasted: (currency: string) => `Pro-rated cost of dead days (${currency})`,
  },
  /** The money of links now lost or devalued, as it was paid (src/backlinks/money.ts deadLinks()). */
  dead: {
    heading: 'Lost and devalued links',
    none: 'None of the bought links is lost or devalued.',
    /** `amounts`: oneOff and/or monthly below, joined by " + "; one line per currency. */
    paid: (amounts: string) => `Paid for links now lost or devalued: ${amounts}`,
    oneOff: (amount: string) => `${amount} one-off`,
    monthly: (amount: string) => `${amount}/month`,
    stillPaying: (amount: string) => `Still paying for dead links: ${amount}/month`,
    notPaying: 'No monthly fee is still running for any of them.',
    proRated: (amount: string) =>
      `Pro-rated cost of the days links were lost or devalued (an estimate): ${amount}`,
    proRatedHint:
      'Each price spread over the days it pays for (a one-off link with no end date over a year), counted for the days since purchase that the link was lost or devalued. It is not what you paid: the figures above are.',
    head: {
      donor: 'Donor page',
      state: 'State',
      vendor: 'Vendor',
      paid: 'Paid',
      since: 'Dead since',
      fee: 'Fee still running',
    },
    since: (day: string, days: string) => `${day}, ${days}`,
    sinceToday: (day: string) => `${day}, today`,
    feeRuns: (until: string | null) => (until ? `yes, paid until ${until}` : 'yes, no end date'),
    feeStopped: (until: string) => `no, paid until ${until}`,
    noPrice: 'no price recorded',
  },
  list: {
    heading: 'Links',
    shown: (n: number, total: number) =>
      n === total
        ? enF.count(n, { one: 'link', other: 'links' })
        : `${enF.number(n)} of ${enF.count(total, { one: 'link', other: 'links' })}`,
    donor: 'Donor page',
    state: 'State',
    why: 'Why',
    toolsSay: 'Tools say',
    vendor: 'Vendor',
    price: 'Price',
    paidUntil: 'Paid until',
    checked: 'Checked',
    failing: (n: number) => `failing ${enF.number(n)}×, not confirmed`,
    perMonth: (price: string) => `${price}/mo`,
  },
  filter: {
    status: 'State',
    engine: 'Engine',
    vendor: 'Vendor',
    kind: 'Kind',
    tag: 'Tag',
    engines: { 'google-fails': 'Google does not count it', 'yandex-fails': 'Yandex does not count it' },
  },
  renewals: {
    heading: 'Renewals due in 14 days',
    hint: 'Lost and archived links are left out: renewing them would pay for nothing. Devalued links stay — the vendor may fix them — with their state beside them.',
  },
  vendors: {
    heading: 'Vendors',
    vendor: 'Vendor',
    bought: 'Links',
    spent: 'Spent',
    spentOnDead: 'Spent on links now lost or devalued',
    lossRate: 'Lost or devalued',
    /** "2 of 3 (67%)". */
    lossCell: (dead: string, links: string, share: string) => `${dead} of ${links} (${share})`,
    lifetime: 'Median link lifetime',
    /** Fewer than half of the links are lost or devalued yet: the median is longer than the longest time watched. */
    atLeast: (days: string) => `over ${days}`,
    noVendor: 'no vendor',
    hint: 'Spent: one-off prices, and monthly fees for each month started up to “paid until” (or today). A link’s lifetime runs from its purchase to its confirmed loss; links still alive count as alive so far (a Kaplan–Meier median), so “over 30 days” means fewer than half of them have been lost or devalued yet. Archived links count here: this is the vendor’s record.',
  },
  form: {
    heading: 'Add a link',
    donor: 'Donor page',
    target: 'Target',
    anchor: 'Anchor',
    kind: 'Kind',
    vendor: 'Vendor',
    price: 'Price',
    currency: 'Currency',
    billing: 'Billing',
    boughtOn: 'Bought on',
    paidUntil: 'Paid until',
    importMany: 'Many links at once (our columns, Ahrefs, Semrush or Sape exports):',
    /** Where a problem with the web form is (the CLI says "link", an import "line N"). */
    where: 'form',
    duplicate: 'This link is already in the inventory',
  },
  link: {
    summary: (s: LinkSummary) =>
      [
        s.kind,
        s.vendor && `from ${s.vendor}`,
        s.price && `${s.price} ${s.billing}`,
        s.boughtOn && `bought ${s.boughtOn}`,
        s.paidUntil && `paid until ${s.paidUntil}`,
      ]
        .filter(Boolean)
        .join(', ') + '.',
    expectedAnchor: (anchor: string) => `Expected anchor: “${anchor}”.`,
    state: 'State',
    why: 'Why',
    checks: 'Checks (the evidence)',
    when: 'When',
    how: 'How',
    outcome: 'Outcome',
    found: 'The link as found',
    hash: 'Page hash',
    redirects: (n: number, to: string) => `${enF.count(n, { one: 'redirect', other: 'redirects' })} → ${to}`,
    brand: (brand: string, n: number, withoutLink: boolean) =>
      `“${brand}” mentioned ${enF.number(n)}×${withoutLink ? ' without a link' : ''}`,
    externalLinks: (n: number) =>
      `${enF.count(n, { one: 'external link', other: 'external links' })} on the page`,
    screenshot: 'Screenshot of the donor page',
    cloakingHint:
      'Cloaking checks compare a Googlebot fetch with a browser fetch; a difference is a warning sign, not proof — some sites block anything claiming to be Googlebot.',
    noSuchLink: 'No such link',
    noScreenshot: 'No screenshot',
  },
  /**
   * Why a check came out as it did. The English texts are also what the database keeps (as before codes
   * existed), so parseReason() in src/backlinks/reasons.ts reads them back: change one only with its pattern.
   */
  reasons: {
    noAnswer: 'no answer',
    fetchFailed: (message: string) => `could not load the page: ${message}`,
    botWall: (wall: string) => `bot wall: ${wall}`,
    botWalls: {
      captcha: 'captcha',
      'browser challenge': 'browser challenge',
      'access denied page': 'access denied page',
    },
    blocked: (status: number) => `answered ${status} (blocked or rate-limited, not proof of removal)`,
    serverError: (status: number) => `answered ${status} (server error)`,
    pageGone: (status: number) => `page gone (${status})`,
    httpError: (status: number) => `answered ${status}`,
    redirected: (to: string, byJs: boolean) => `redirected elsewhere: ${to}${byJs ? ' (by JavaScript)' : ''}`,
    pageNoindex: 'the page is noindex',
    canonicalElsewhere: (to: string) => `canonicalised away to ${to}`,
    bodyCut: (megabytes: string, decompressed: boolean) =>
      `page larger than ${megabytes} MB${decompressed ? ' once decompressed' : ''}; link not found in the first ${megabytes} MB`,
    inComment: 'link is inside an HTML comment',
    removed: 'link removed',
    inScript: 'link exists only as text inside a script',
    rel: (rel: string) => `rel="${rel}"`,
    /** `how` from hiddenHow; `seenOn`: the day of an earlier rendered check reused for an unchanged page. */
    hidden: (how: string, onParent: boolean, seenOn: string | null) =>
      `hidden: ${how}${onParent ? ' (on a parent)' : ''}${seenOn ? ` (seen by the rendered check of ${seenOn}; the page has not changed since)` : ''}`,
    hiddenHow: {
      'display:none': 'display:none',
      'visibility:hidden': 'visibility:hidden',
      'opacity:0': 'opacity:0',
      'font-size:0': 'font-size:0',
      'zero-size': 'zero size',
      'off-screen': 'off-screen',
      'same-colour': 'text colour equals its background',
    },
    robotsBlocks: { google: 'robots.txt blocks Googlebot', yandex: 'robots.txt blocks Yandex' },
    noindexFor: { google: 'noindex for Google', yandex: 'noindex for Yandex' },
    metaNofollow: { google: 'meta robots nofollow', yandex: 'meta robots nofollow (Yandex)' },
    inNoindex: {
      tag: 'inside <noindex>: Yandex ignores it',
      comment: 'inside <!--noindex-->: Yandex ignores it',
    },
    onlyAfterJs: 'present only after JavaScript: Yandex reads links from the HTML it downloads',
    outsideBody: 'link is outside <body>',
    inForm: 'inside a form',
    cloakingStatus: (bot: number, browser: number) =>
      `possible cloaking: Googlebot gets HTTP ${bot}, a browser ${browser} (not proof: some sites block fake Googlebots)`,
    cloakingLink: {
      googlebot:
        'possible cloaking: the link is shown to Googlebot only (not proof: some sites block fake Googlebots)',
      browsers:
        'possible cloaking: the link is shown to browsers only (not proof: some sites block fake Googlebots)',
    },
    renderFailed: (message: string) => `rendering failed: ${message}`,
  },
  /** What Ahrefs or Semrush last said about a link (src/backlinks/tool-state.ts). */
  tools: {
    lost: 'lost',
    followed: 'followed',
    listed: 'listed',
    seen: (day: string) => `seen ${day}`,
    lastSeen: (day: string) => `last seen ${day}`,
    imported: (day: string) => `from an export imported ${day}`,
    notOurs: "the tool's last crawl, not our check",
    stored: (tool: string, links: number) => `${tool} state stored for ${links} link(s)`,
  },
  /** Checks of a link as a person typed it (web form, `links add`, an import): src/backlinks/import.ts. */
  input: {
    missing: (where: string, field: string) => `${where}: ${field} is missing`,
    targetMissing: (where: string, field: string) =>
      `${where}: ${field} is missing: give the URL or domain the link points to`,
    /** A field's value refused: `why` is one of `why` below. */
    refused: (where: string, field: string, value: string, why: string) =>
      `${where}: ${field} ${JSON.stringify(value)} ${why}`,
    defaultCurrency: (where: string, value: string) =>
      `${where}: default currency ${JSON.stringify(value)} is not an ISO 4217 code`,
    why: {
      notUrl: 'is not an absolute http(s) URL',
      notTarget: 'is neither an http(s) URL nor a bare domain like studio.example',
      notKind: (kinds: string) => `is not one of ${kinds}`,
      negative: 'is negative: a price is 0 or more',
      notAmount: 'is not an amount like 1500, 1 500,50 or $12.99',
      ambiguous: (grouped: string, decimals: string) =>
        `is ambiguous: write ${grouped} if the separator groups thousands, or ${decimals} if those are decimals`,
      tooLarge: 'is too large',
      notCurrency: 'is not an ISO 4217 currency code like RUB, USD or EUR',
      otherCurrency: (priceCurrency: string, currencyField: string, currency: string) =>
        `is in ${priceCurrency} but ${currencyField} is ${currency}`,
      noCurrency: (currencyField: string) =>
        `has no currency: add a ${currencyField}, a symbol like ₽ or $, or a default currency`,
      notBilling: 'is not one-off or monthly',
      future: (today: string) => `is in the future (today is ${today})`,
      beforeBought: (boughtField: string, bought: string) =>
        `is before ${boughtField} ${JSON.stringify(bought)}`,
      notDate: 'is not a date: write YYYY-MM-DD or DD.MM.YYYY',
      notRealDate: 'is not a real calendar date',
      notRealTime: 'is not a real time of day',
      notBoolean: 'is not true or false',
    },
  },
  /** CSV column headers; the English ones are the file's long-standing machine-friendly names. */
  csv: {
    id: 'id',
    donor_url: 'donor_url',
    target: 'target',
    status: 'status',
    google_passes: 'google_passes',
    yandex_passes: 'yandex_passes',
    reasons: 'reasons',
    kind: 'kind',
    vendor: 'vendor',
    price: 'price',
    currency: 'currency',
    billing: 'billing',
    bought_on: 'bought_on',
    paid_until: 'paid_until',
    tags: 'tags',
    last_checked_at: 'last_checked_at',
  },
  /** Managing links: edit, archive, delete, re-check, and the list's selection (issue 14). */
  manage: {
    actions: 'Manage this link',
    /** The same section for someone who may only read: just the evidence packs. */
    packs: 'Evidence packs',
    edit: 'Edit',
    editHeading: 'Edit the link',
    tags: 'Tags (separated by ;)',
    notes: 'Notes',
    brand: 'Brand (press releases)',
    save: 'Save',
    saved: 'Saved.',
    archive: 'Archive',
    unarchive: 'Bring back from the archive',
    archiveHint:
      'An archived link keeps its history, money and evidence, but is no longer checked, listed, renewed or alerted on.',
    archivedOn: (day: string) => `Archived on ${day}: not checked, listed or alerted on.`,
    delete: 'Delete…',
    deleteHeading: 'Delete this link?',
    deleteWarning: (checks: number) =>
      `The link, its ${enF.count(checks, { one: 'check', other: 'checks' })} and its screenshots will be gone for good. To keep the history, archive it instead.`,
    deleteConfirm: 'Yes, delete it',
    cancel: 'Cancel',
    recheck: 'Re-check now',
    recheckNoBrowser:
      'Checked without a browser: CSS hiding and JavaScript links are judged at the next scheduled check.',
    rechecked: (n: number, outcome: string) =>
      `Checked ${enF.count(n, { one: 'link', other: 'links' })}${outcome ? `: ${outcome}` : ''}.`,
    select: 'Select',
    selectAll: 'Select all',
    selected: 'With the selected links:',
    recheckSelected: 'Re-check selected',
    archiveSelected: 'Archive selected',
    bulkHeading: 'Edit the selected links',
    bulkVendor: 'New vendor',
    bulkAddTags: 'Add tags',
    bulkRemoveTags: 'Remove tags',
    bulkPrice: 'New price',
    bulkApply: 'Apply to selected',
    bulkDone: (n: number) => `${enF.count(n, { one: 'link', other: 'links' })} changed.`,
    noneSelected: 'No links selected: tick the boxes in the first column.',
    nothingToChange: 'Nothing to change: fill in a vendor, tags or a price.',
    showArchived: 'Archived links',
    hideArchived: 'Back to the current links',
    archivedHeading: 'Archived links',
    noArchived: 'No archived links.',
    cannotCheckArchived: 'Archived links are not checked; bring it back from the archive first.',
    recheckBusy:
      'The scheduled check of this site is running right now: its results will show here when it ends.',
  },
  /** Evidence kept for good (the first confirmed-live check, every change of state) and the evidence pack. */
  evidence: {
    heading: 'Evidence history',
    hint: 'Kept for good: the check that first confirmed the link live and the check of every change of state, each with its screenshot and HTTP evidence.',
    none: 'No change of state yet: the first check that confirms the link keeps its evidence here.',
    change: (from: string, to: string) => `${from} → ${to}`,
    noScreenshot: 'no screenshot (checked without a browser)',
    download: 'Evidence pack (ZIP)',
    downloadVendor: (vendor: string) => `Evidence pack for ${vendor} (ZIP)`,
    /** In the vendor table, under the vendor's name. */
    vendorPack: 'evidence pack (ZIP)',
    packTitle: (what: string) => `Evidence pack: ${what}`,
    packFor: (siteName: string, at: string) => `Site ${siteName}; made ${at}.`,
    link: 'Backlink',
    price: 'Price',
    boughtOn: 'Bought on',
    lostOn: 'Lost or devalued since',
    state: 'State now',
    items: 'Evidence',
    url: 'URL',
    checkedAt: 'Checked at',
    verdict: 'Verdict',
    httpStatus: 'HTTP status',
    finalUrl: 'Final URL',
    redirects: 'Redirect chain',
    headers: 'Response headers',
    snippet: 'The link’s HTML',
    noLink: 'the link was not found on the page',
    latest: 'latest check',
    noVendor: 'No links from this vendor.',
  },
};

const LINKS = { one: 'ссылка', few: 'ссылки', many: 'ссылок', other: 'ссылки' };
/** After «из»: из 1 ссылки, из 2 ссылок, из 21 ссылки. */
const OF_LINKS = { one: 'ссылки', few: 'ссылок', many: 'ссылок', other: 'ссылки' };
const TIMES = { one: 'раз', few: 'раза', many: 'раз', other: 'раза' };
const NOT_PROOF = 'это не доказательство: некоторые сайты блокируют поддельных Googlebot';

export const ru: Catalog<typeof en> = {
  title: 'Ссылки',
  linkTitle: 'Ссылка',
  back: '← Ссылки',
  states: {
    live: 'активна',
    devalued: 'обесценена',
    lost: 'потеряна',
    inconclusive: 'не удалось проверить',
    unchecked: 'не проверена',
  },
  outcomes: {
    live: 'активна',
    devalued: 'обесценена',
    missing: 'снята',
    gone: 'страница недоступна',
    inconclusive: 'не удалось проверить',
  },
  modes: { static: 'HTML', rendered: 'в браузере' },
  kinds: {
    bought: 'купленная',
    'press-release': 'пресс-релиз',
    'guest-post': 'гостевая статья',
    directory: 'каталог',
    other: 'другое',
  },
  billing: { 'one-off': 'разово', monthly: 'ежемесячно' },
  engines: { google: 'Google', yandex: 'Яндекс' },
  cards: {
    live: 'Активны',
    devalued: 'Обесценены',
    lost: 'Потеряны (подтверждено)',
    unsure: 'Не удалось проверить / не проверены',
    costPerLiveDay: (currency: string) => `Цена дня активной ссылки (${currency})`,
  },
  empty: {
    noLinks: 'Купленных ссылок пока нет.',
    noLinksHint: 'Добавьте ссылку формой ниже или импортируйте CSV:',
  },
  charts: {
    links: 'Ссылки по состояниям, по дням',
    linksAria: 'Ссылки по состояниям',
    wasted:
      'Стоимость дней, когда ссылки были потеряны или обесценены, по дням (оценка пропорционально цене)',
    wastedAria: 'Оценка стоимости дней простоя',
  },
  axis: {
    links: 'ссылки',
    perDay: (currency: string) => `${currency} в день`,
    wasted: (currency: string) => `Стоимость дней простоя, оценка (${currency})`,
  },
  dead: {
    heading: 'Потерянные и обесцененные ссылки',
    none: 'Ни одна купленная ссылка не потеряна и не обесценена.',
    paid: (amounts: string) => `Оплачено за ссылки, которые сейчас потеряны или обесценены: ${amounts}`,
    oneOff: (amount: string) => `${amount} разово`,
    monthly: (amount: string) => `${amount}/мес.`,
    stillPaying: (amount: string) => `Продолжаем платить за потерянные и обесцененные ссылки: ${amount}/мес.`,
    notPaying: 'Ежемесячная оплата ни за одну из них больше не идёт.',
    proRated: (amount: string) => `Стоимость дней простоя ссылок пропорционально цене (оценка): ${amount}`,
    proRatedHint:
      'Цена каждой ссылки разложена на оплаченные дни (разовая ссылка без срока — на год) и посчитана за дни с покупки, когда ссылка была потеряна или обесценена. Это не то, что вы заплатили: заплаченное — выше.',
    head: {
      donor: 'Страница донора',
      state: 'Состояние',
      vendor: 'Продавец',
      paid: 'Оплачено',
      since: 'Не работает с',
      fee: 'Оплата ещё идёт',
    },
    since: (day: string, days: string) => `${day}, ${days}`,
    sinceToday: (day: string) => `${day}, сегодня`,
    feeRuns: (until: string | null) => (until ? `да, оплачено до ${until}` : 'да, без даты окончания'),
    feeStopped: (until: string) => `нет, оплачено до ${until}`,
    noPrice: 'цена не указана',
  },
  list: {
    heading: 'Ссылки',
    shown: (n: number, total: number) =>
      n === total ? ruF.count(n, LINKS) : `${ruF.number(n)} из ${ruF.count(total, OF_LINKS)}`,
    donor: 'Страница донора',
    state: 'Состояние',
    why: 'Почему',
    toolsSay: 'По данным сервисов',
    vendor: 'Продавец',
    price: 'Цена',
    paidUntil: 'Оплачено до',
    checked: 'Проверена',
    failing: (n: number) => `не прошла проверку ${ruF.count(n, TIMES)} подряд, ещё не подтверждено`,
    perMonth: (price: string) => `${price}/мес.`,
  },
  filter: {
    status: 'Состояние',
    engine: 'Поисковик',
    vendor: 'Продавец',
    kind: 'Тип',
    tag: 'Метка',
    engines: { 'google-fails': 'Google не учитывает', 'yandex-fails': 'Яндекс не учитывает' },
  },
  renewals: {
    heading: 'Продления в ближайшие 14 дней',
    hint: 'Потерянные и архивные ссылки сюда не попадают: продлевать их — платить ни за что. Обесцененные остаются (продавец может их исправить), рядом указано состояние.',
  },
  vendors: {
    heading: 'Продавцы',
    vendor: 'Продавец',
    bought: 'Ссылок',
    spent: 'Потрачено',
    spentOnDead: 'Из них на потерянные и обесцененные',
    lossRate: 'Потеряны или обесценены',
    lossCell: (dead: string, links: string, share: string) => `${dead} из ${links} (${share})`,
    lifetime: 'Медианный срок жизни ссылки',
    atLeast: (days: string) => `больше ${days}`,
    noVendor: 'без продавца',
    hint: 'Потрачено: разовые цены и ежемесячная оплата за каждый начатый месяц до даты «оплачено до» (или до сегодня). Срок жизни ссылки — от покупки до подтверждённой потери; активные ссылки считаются живыми на сегодня (медиана Каплана — Мейера), поэтому «больше 30 дней» значит, что потеряна или обесценена пока меньше половины. Архивные ссылки здесь учтены: это история продавца.',
  },
  form: {
    heading: 'Добавить ссылку',
    donor: 'Страница донора',
    target: 'Акцептор',
    anchor: 'Анкор',
    kind: 'Тип',
    vendor: 'Продавец',
    price: 'Цена',
    currency: 'Валюта',
    billing: 'Оплата',
    boughtOn: 'Куплена',
    paidUntil: 'Оплачено до',
    importMany: 'Много ссылок сразу (наши столбцы или выгрузки Ahrefs, Semrush, Sape):',
    where: 'форма',
    duplicate: 'Эта ссылка уже есть в списке',
  },
  link: {
    summary: (s: LinkSummary) =>
      [
        `Тип: ${s.kind}`,
        s.vendor && `продавец: ${s.vendor}`,
        s.price && `цена: ${s.price} ${s.billing}`,
        s.boughtOn && `куплена ${s.boughtOn}`,
        s.paidUntil && `оплачена до ${s.paidUntil}`,
      ]
        .filter(Boolean)
        .join(', ') + '.',
    expectedAnchor: (anchor: string) => `Ожидаемый анкор: «${anchor}».`,
    state: 'Состояние',
    why: 'Почему',
    checks: 'Проверки (доказательства)',
    when: 'Когда',
    how: 'Как',
    outcome: 'Итог',
    found: 'Ссылка на странице',
    hash: 'Хеш страницы',
    redirects: (n: number, to: string) =>
      `${ruF.count(n, { one: 'редирект', few: 'редиректа', many: 'редиректов', other: 'редиректа' })} → ${to}`,
    brand: (brand: string, n: number, withoutLink: boolean) =>
      `«${brand}» упоминается ${ruF.count(n, TIMES)}${withoutLink ? ', без ссылки' : ''}`,
    externalLinks: (n: number) =>
      `${ruF.count(n, { one: 'внешняя ссылка', few: 'внешние ссылки', many: 'внешних ссылок', other: 'внешней ссылки' })} на странице`,
    screenshot: 'Скриншот страницы донора',
    cloakingHint:
      'Проверка на клоакинг сравнивает страницу, полученную как Googlebot, со страницей в браузере; разница — повод насторожиться, но не доказательство: некоторые сайты блокируют всё, что называет себя Googlebot.',
    noSuchLink: 'Такой ссылки нет',
    noScreenshot: 'Скриншота нет',
  },
  reasons: {
    noAnswer: 'нет ответа',
    fetchFailed: (message: string) => `не удалось загрузить страницу: ${message}`,
    botWall: (wall: string) => `вместо страницы — ${wall}`,
    botWalls: {
      captcha: 'капча',
      'browser challenge': 'проверка браузера',
      'access denied page': 'страница «доступ запрещён»',
    },
    blocked: (status: number) =>
      `ответ ${status} (доступ закрыт или слишком много запросов — это не доказательство, что ссылку сняли)`,
    serverError: (status: number) => `ответ ${status} (ошибка сервера)`,
    pageGone: (status: number) => `страницы больше нет (${status})`,
    httpError: (status: number) => `ответ ${status}`,
    redirected: (to: string, byJs: boolean) =>
      `редирект на другую страницу: ${to}${byJs ? ' (через JavaScript)' : ''}`,
    pageNoindex: 'страница закрыта от индексации (noindex)',
    canonicalElsewhere: (to: string) => `canonical указывает на другую страницу: ${to}`,
    bodyCut: (megabytes: string, decompressed: boolean) =>
      `страница больше ${megabytes} МБ${decompressed ? ' после распаковки' : ''}; в первых ${megabytes} МБ ссылки нет`,
    inComment: 'ссылка внутри HTML-комментария',
    removed: 'ссылка снята',
    inScript: 'ссылка есть только как текст внутри скрипта',
    rel: (rel: string) => `rel="${rel}"`,
    hidden: (how: string, onParent: boolean, seenOn: string | null) =>
      `скрыта: ${how}${onParent ? ' (у родительского элемента)' : ''}${seenOn ? ` (по проверке в браузере от ${seenOn}; страница с тех пор не менялась)` : ''}`,
    hiddenHow: {
      'display:none': 'display:none',
      'visibility:hidden': 'visibility:hidden',
      'opacity:0': 'opacity:0',
      'font-size:0': 'font-size:0',
      'zero-size': 'нулевой размер',
      'off-screen': 'за пределами страницы',
      'same-colour': 'цвет текста совпадает с фоном',
    },
    robotsBlocks: {
      google: 'robots.txt закрывает страницу от Googlebot',
      yandex: 'robots.txt закрывает страницу от Яндекса',
    },
    noindexFor: { google: 'noindex для Google', yandex: 'noindex для Яндекса' },
    metaNofollow: { google: 'nofollow в meta robots', yandex: 'nofollow в meta robots (для Яндекса)' },
    inNoindex: {
      tag: 'в noindex: Яндекс её не учитывает',
      comment: 'в noindex (<!--noindex-->): Яндекс её не учитывает',
    },
    onlyAfterJs: 'появляется только после выполнения JavaScript: Яндекс берёт ссылки из загруженного HTML',
    outsideBody: 'ссылка вне <body>',
    inForm: 'внутри формы',
    cloakingStatus: (bot: number, browser: number) =>
      `возможен клоакинг: Googlebot получает HTTP ${bot}, браузер — ${browser} (${NOT_PROOF})`,
    cloakingLink: {
      googlebot: `возможен клоакинг: ссылку видит только Googlebot (${NOT_PROOF})`,
      browsers: `возможен клоакинг: ссылку видят только браузеры (${NOT_PROOF})`,
    },
    renderFailed: (message: string) => `не удалось открыть страницу в браузере: ${message}`,
  },
  tools: {
    lost: 'потеряна',
    followed: 'dofollow',
    listed: 'есть в выгрузке',
    seen: (day: string) => `замечена ${day}`,
    lastSeen: (day: string) => `последний раз замечена ${day}`,
    imported: (day: string) => `из выгрузки, импортированной ${day}`,
    notOurs: 'последний обход этого сервиса, а не наша проверка',
    stored: (tool: string, links: number) => `${tool}: состояние сохранено для ${ruF.count(links, LINKS)}`,
  },
  input: {
    missing: (where: string, field: string) => `${where}: не указано поле «${field}»`,
    targetMissing: (where: string, field: string) =>
      `${where}: не указано поле «${field}»: укажите URL или домен, на который ведёт ссылка`,
    refused: (where: string, field: string, value: string, why: string) =>
      `${where}: ${field} «${value}» — ${why}`,
    defaultCurrency: (where: string, value: string) =>
      `${where}: валюта по умолчанию «${value}» — не код ISO 4217`,
    why: {
      notUrl: 'не абсолютный URL http(s)',
      notTarget: 'не URL http(s) и не домен вида studio.example',
      notKind: (kinds: string) => `не из списка: ${kinds}`,
      negative: 'отрицательная сумма: цена — 0 или больше',
      notAmount: 'не сумма вида 1500, 1 500,50 или $12.99',
      ambiguous: (grouped: string, decimals: string) =>
        `неоднозначно: напишите ${grouped}, если разделитель отделяет тысячи, или ${decimals}, если это дробная часть`,
      tooLarge: 'слишком большая сумма',
      notCurrency: 'не код валюты ISO 4217, например RUB, USD или EUR',
      otherCurrency: (priceCurrency: string, currencyField: string, currency: string) =>
        `сумма в ${priceCurrency}, а в поле «${currencyField}» — ${currency}`,
      noCurrency: (currencyField: string) =>
        `без валюты: заполните поле «${currencyField}», добавьте символ ₽ или $ или задайте валюту по умолчанию`,
      notBilling: 'не «разово» (one-off) и не «ежемесячно» (monthly)',
      future: (today: string) => `в будущем (сегодня ${today})`,
      beforeBought: (boughtField: string, bought: string) => `раньше, чем «${boughtField}» (${bought})`,
      notDate: 'не дата: пишите ГГГГ-ММ-ДД или ДД.ММ.ГГГГ',
      notRealDate: 'такой даты нет в календаре',
      notRealTime: 'такого времени суток не бывает',
      notBoolean: 'не true и не false',
    },
  },
  csv: {
    id: 'ID',
    donor_url: 'страница донора',
    target: 'акцептор',
    status: 'состояние',
    google_passes: 'учитывает Google',
    yandex_passes: 'учитывает Яндекс',
    reasons: 'причины',
    kind: 'тип',
    vendor: 'продавец',
    price: 'цена',
    currency: 'валюта',
    billing: 'оплата',
    bought_on: 'куплена',
    paid_until: 'оплачено до',
    tags: 'метки',
    last_checked_at: 'последняя проверка',
  },
  manage: {
    actions: 'Управление ссылкой',
    packs: 'Пакеты доказательств',
    edit: 'Изменить',
    editHeading: 'Изменить ссылку',
    tags: 'Метки (через ;)',
    notes: 'Заметки',
    brand: 'Бренд (для пресс-релизов)',
    save: 'Сохранить',
    saved: 'Сохранено.',
    archive: 'В архив',
    unarchive: 'Вернуть из архива',
    archiveHint:
      'Ссылка в архиве сохраняет историю, деньги и доказательства, но больше не проверяется, не показывается в списках, продлениях и оповещениях.',
    archivedOn: (day: string) => `В архиве с ${day}: не проверяется, не попадает в списки и оповещения.`,
    delete: 'Удалить…',
    deleteHeading: 'Удалить эту ссылку?',
    deleteWarning: (checks: number) =>
      `Ссылка, ${ruF.count(checks, { one: 'её проверка', few: 'её проверки', many: 'её проверок', other: 'её проверки' })} и скриншоты исчезнут навсегда. Чтобы сохранить историю, лучше отправьте её в архив.`,
    deleteConfirm: 'Да, удалить',
    cancel: 'Отмена',
    recheck: 'Проверить сейчас',
    recheckNoBrowser:
      'Проверено без браузера: скрытие через CSS и ссылки из JavaScript оценит следующая плановая проверка.',
    rechecked: (n: number, outcome: string) =>
      `Проверено: ${ruF.count(n, LINKS)}${outcome ? ` — ${outcome}` : ''}.`,
    select: 'Выбрать',
    selectAll: 'Выбрать все',
    selected: 'С выбранными ссылками:',
    recheckSelected: 'Проверить выбранные',
    archiveSelected: 'Выбранные — в архив',
    bulkHeading: 'Изменить выбранные ссылки',
    bulkVendor: 'Новый продавец',
    bulkAddTags: 'Добавить метки',
    bulkRemoveTags: 'Убрать метки',
    bulkPrice: 'Новая цена',
    bulkApply: 'Применить к выбранным',
    bulkDone: (n: number) => `Изменено: ${ruF.count(n, LINKS)}.`,
    noneSelected: 'Ничего не выбрано: отметьте ссылки в первом столбце.',
    nothingToChange: 'Нечего менять: укажите продавца, метки или цену.',
    showArchived: 'Ссылки в архиве',
    hideArchived: 'К текущим ссылкам',
    archivedHeading: 'Ссылки в архиве',
    noArchived: 'В архиве ссылок нет.',
    cannotCheckArchived: 'Ссылки в архиве не проверяются: сначала верните её из архива.',
    recheckBusy:
      'Сейчас идёт плановая проверка ссылок этого сайта: её результаты появятся здесь, когда она закончится.',
  },
  evidence: {
    heading: 'История доказательств',
    hint: 'Хранятся всегда: проверка, впервые подтвердившая ссылку, и проверка каждой смены состояния — со скриншотом и ответом сервера.',
    none: 'Состояние ещё не менялось: первая проверка, подтвердившая ссылку, сохранит здесь доказательства.',
    change: (from: string, to: string) => `${from} → ${to}`,
    noScreenshot: 'скриншота нет (проверка без браузера)',
    download: 'Пакет доказательств (ZIP)',
    downloadVendor: (vendor: string) => `Пакет доказательств по продавцу ${vendor} (ZIP)`,
    vendorPack: 'доказательства (ZIP)',
    packTitle: (what: string) => `Пакет доказательств: ${what}`,
    packFor: (siteName: string, at: string) => `Сайт ${siteName}; составлен ${at}.`,
    link: 'Ссылка',
    price: 'Цена',
    boughtOn: 'Куплена',
    lostOn: 'Потеряна или обесценена с',
    state: 'Состояние сейчас',
    items: 'Доказательства',
    url: 'Адрес',
    checkedAt: 'Время проверки',
    verdict: 'Вердикт',
    httpStatus: 'Код ответа HTTP',
    finalUrl: 'Итоговый адрес',
    redirects: 'Цепочка редиректов',
    headers: 'Заголовки ответа',
    snippet: 'HTML ссылки',
    noLink: 'ссылка на странице не найдена',
    latest: 'последняя проверка',
    noVendor: 'У этого продавца ссылок нет.',
  },
};
