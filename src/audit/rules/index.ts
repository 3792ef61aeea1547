// The audit's rule families, in the order the Site audit page lists them. Adding a family = a file + a line.
import type { FamilyId } from '../../i18n/messages/audit-rules.ts';
import type { RuleFamily, RuleInfo } from '../types.ts';
import { canonicalRules } from './canonical.ts';
import { contentRules } from './content.ts';
import { hreflangRules } from './hreflang.ts';
import { indexabilityRules } from './indexability.ts';
import { redirectRules } from './redirects.ts';
import { resourceRules } from './resources.ts';
import { responseRules } from './response.ts';
import { structureRules } from './structure.ts';
import { titleRules } from './titles.ts';

export const FAMILIES: readonly RuleFamily[] = [
  responseRules,
  redirectRules,
  indexabilityRules,
  canonicalRules,
  titleRules,
  contentRules,
  hreflangRules,
  resourceRules,
  structureRules,
];

/** Every rule by id, with the id of its family (its name per language: audit.families in the catalogue). */
export const RULES: ReadonlyMap<string, RuleInfo & { family: FamilyId }> = new Map(
  FAMILIES.flatMap((f) => f.rules.map((r) => [r.id, { ...r, family: f.id }] as const)),
);
