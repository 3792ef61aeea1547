// Shared shapes of the backlink monitor: the inventory row, and what one check of a donor page finds.

export const BACKLINK_KINDS = ['bought', 'press-release', 'guest-post', 'directory', 'other'] as const;
export type BacklinkKind = (typeof BACKLINK_KINDS)[number];

/** One purchased (or otherwise placed) link, as the owner enters or imports it. */
export interface BacklinkInput {
  donorUrl: string;
  /** A full URL (the link must point exactly there) or a bare domain like "studio.example". */
  target: string;
  targetKind: 'url' | 'domain';
  expectedAnchor: string | null;
  kind: BacklinkKind;
  vendor: string | null;
  /** Integer micros of `currency` (1 ₽ = 1,000,000). */
  priceMicros: number | null;
  /** ISO 4217 code, upper case. */
  currency: string | null;
  billing: 'one-off' | 'monthly';
  /** YYYY-MM-DD */
  boughtOn: string | null;
  paidUntil: string | null;
  tags: string[];
  notes: string | null;
  /** For press releases: the brand name whose unlinked mentions are counted. */
  brand: string | null;
}

export interface TargetSpec {
  /** Normalised URL when the target is a URL, else null. */
  url: string | null;
  /** Lower-case host without a leading "www.". */
  domain: string;
}

/** Where in the document a link sits; anything but "none of these" weakens or voids it. */
export interface LinkContext {
  /** Inside <noindex>…</noindex> (Yandex's own tag; an unclosed one runs to the end). */
  inNoindexTag: boolean;
  /** Between <!--noindex--> and <!--/noindex--> comments. */
  inNoindexComment: boolean;
  /** Inside an ordinary HTML comment: not a link at all. */
  inComment: boolean;
  /** Written inside a <script> (a string in code): not a link until JavaScript runs. */
  inScript: boolean;
  /** Inside <iframe>…</iframe> fallback content. */
  inIframe: boolean;
  inForm: boolean;
  /** In <head>, or after </body>. */
  outsideBody: boolean;
}

export interface FoundLink {
  /** Absolute, normalised. */
  href: string;
  match: 'exact' | 'domain';
  /** Anchor text, or the alt text of an image link. */
  anchor: string;
  image: boolean;
  /** Lower-case rel tokens (nofollow, sponsored, ugc, …). */
  rel: string[];
  context: LinkContext;
  /** The link's own HTML, at most 500 characters: evidence for a refund claim. */
  snippet: string;
}

export interface DonorFacts {
  /** Every link to the target, exact matches first. */
  links: FoundLink[];
  /** The link that counts: the first exact match in normal markup, else the first domain match, else the first found. */
  best: FoundLink | null;
  /** <a href> links to other hosts than the donor's own. */
  externalLinks: number;
  baseHref: string | null;
  /** Resolved against the page (and <base>). */
  canonical: string | null;
  metaRobots: { robots?: string; googlebot?: string; yandex?: string };
  title: string | null;
  /** Times `brand` appears in visible text (0 when no brand was given). */
  brandMentions: number;
  /** sha256 of the HTML, hex. */
  htmlHash: string;
}
