// The GAQL side of the local Google Ads stand-in (google-ads.ts): reads just enough of a query to answer
// the customer query and daily campaign metrics for a date range, as GoogleAdsRows in proto3 JSON.
// https://developers.google.com/google-ads/api/docs/query/overview
import { addDays } from '../../util/days.ts';

/** One campaign's activity on one day; conversionsValue in currency units, as the API's double. */
export interface FakeCampaignDay {
  id: string;
  name: string;
  impressions: number;
  clicks: number;
  costMicros: number;
  conversions: number;
  conversionsValue: number;
}

export interface FakeCustomer {
  currencyCode: string;
  timeZone: string;
  descriptiveName: string;
  /** Reachable only through this manager account (the login-customer-id header). */
  manager?: string;
}

const CUSTOMER_FIELDS: Record<string, string> = {
  'customer.currency_code': 'currencyCode',
  'customer.time_zone': 'timeZone',
  'customer.descriptive_name': 'descriptiveName',
  'customer.id': 'id',
};
const CAMPAIGN_FIELDS = [
  'segments.date',
  'campaign.id',
  'campaign.name',
  'metrics.impressions',
  'metrics.clicks',
  'metrics.cost_micros',
  'metrics.conversions',
  'metrics.conversions_value',
];

/** Reads the SELECT list, the FROM resource and a `segments.date BETWEEN 'a' AND 'b'` filter. */
export function answerQuery(
  customerId: string,
  customer: FakeCustomer,
  query: string,
  forceError: boolean,
  campaignDays: (customerId: string, day: string) => FakeCampaignDay[],
): { rows: object[]; fieldMask: string } | { error: object } {
  const m = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?\s*$/is.exec(query);
  const queryError = (code: string, message: string) => ({
    error: { errorCode: { queryError: code }, message },
  });
  if (forceError) return queryError('UNRECOGNIZED_FIELD', "Unrecognized field in the query: 'metrics.cost'.");
  if (!m) return queryError('EXPECTED_SELECT', 'SELECT is missing at the beginning of query.');
  const fields = m[1]!.split(',').map((f) => f.trim());
  const resource = m[2]!;
  const mask = fields.map(camelPath).join(',');
  if (resource === 'customer') {
    const unknown = fields.find((f) => !(f in CUSTOMER_FIELDS));
    if (unknown) return queryError('UNRECOGNIZED_FIELD', `Unrecognized field in the query: '${unknown}'.`);
    const row: Record<string, unknown> = { resourceName: `customers/${customerId}` };
    for (const f of fields) {
      const key = CUSTOMER_FIELDS[f]!;
      row[key] = key === 'id' ? customerId : customer[key as keyof FakeCustomer];
    }
    return { rows: [{ customer: row }], fieldMask: mask };
  }
  if (resource !== 'campaign')
    return queryError(
      'BAD_RESOURCE_TYPE_IN_FROM_CLAUSE',
      'Invalid resource type was specified in the FROM clause.',
    );
  const unknown = fields.find((f) => !CAMPAIGN_FIELDS.includes(f));
  if (unknown) return queryError('UNRECOGNIZED_FIELD', `Unrecognized field in the query: '${unknown}'.`);
  const range = /segments\.date\s+BETWEEN\s+'(\d{4}-\d{2}-\d{2})'\s+AND\s+'(\d{4}-\d{2}-\d{2})'/i.exec(
    m[3] ?? '',
  );
  if (!range) return queryError('EXPECTED_FILTERS_ON_DATE_RANGE', 'Missing filters on date related fields.');
  const [, from, to] = range as unknown as [string, string, string];
  if (from > to)
    return queryError(
      'DATE_RANGE_TOO_NARROW',
      'Filters on date/week/month/quarter have a start date after end date.',
    );
  const rows: object[] = [];
  for (let day = from; day <= to; day = addDays(day, 1))
    for (const c of campaignDays(customerId, day)) rows.push(campaignRow(customerId, day, c, fields));
  return { rows, fieldMask: mask };
}

/** A GoogleAdsRow in proto3 JSON: int64 as strings, and every field equal to 0 (or "") left out. */
function campaignRow(customerId: string, day: string, c: FakeCampaignDay, fields: string[]): object {
  const has = (f: string) => fields.includes(f);
  const campaign: Record<string, unknown> = { resourceName: `customers/${customerId}/campaigns/${c.id}` };
  if (has('campaign.id')) campaign.id = c.id;
  if (has('campaign.name') && c.name !== '') campaign.name = c.name;
  const metrics: Record<string, unknown> = {};
  const put = (field: string, key: string, value: number, int64: boolean) => {
    if (has(field) && value !== 0) metrics[key] = int64 ? String(value) : value;
  };
  put('metrics.impressions', 'impressions', c.impressions, true);
  put('metrics.clicks', 'clicks', c.clicks, true);
  put('metrics.cost_micros', 'costMicros', c.costMicros, true);
  put('metrics.conversions', 'conversions', c.conversions, false);
  put('metrics.conversions_value', 'conversionsValue', c.conversionsValue, false);
  return {
    campaign,
    ...(Object.keys(metrics).length ? { metrics } : {}),
    ...(has('segments.date') ? { segments: { date: day } } : {}),
  };
}

/** "metrics.cost_micros" → "metrics.costMicros", as the fieldMask spells it. */
function camelPath(field: string): string {
  return field.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
}
