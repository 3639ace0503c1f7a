import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { FormClient } from '../../../../test/support/account-client.ts';

// Test helpers of the staff job pages: read a rendered form as a browser would submit it, and
// post forms with repeated names (checkboxes), which FormClient.post cannot.

export type Fields = Record<string, string | string[]>;

const decode = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function attributes(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of source.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) out[m[1]!] = decode(m[2] ?? '');
  return out;
}

function add(fields: Fields, name: string, value: string) {
  const seen = fields[name];
  fields[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
}

/** The fields the form posting to `action` would send, as rendered (no button pressed). */
export function readForm(html: string, action: string): Fields {
  const start = html.indexOf(`action="${action}"`);
  if (start === -1) throw new Error(`No form posts to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Fields = {};
  const pieces = [...form.matchAll(/<input\b([^>]*?)\/?>|<textarea\b([^>]*)>([\s\S]*?)<\/textarea>|<select\b([^>]*)>([\s\S]*?)<\/select>/g)];
  for (const m of pieces) {
    if (m[1] !== undefined) {
      const a = attributes(m[1]);
      if (!a.name || a.type === 'submit') continue;
      if ((a.type === 'checkbox' || a.type === 'radio') && !('checked' in a)) continue;
      add(fields, a.name, a.value ?? 'on');
    } else if (m[2] !== undefined) {
      const a = attributes(m[2]);
      if (a.name) add(fields, a.name, decode(m[3] ?? ''));
    } else {
      const a = attributes(m[4]!);
      const options = [...m[5]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attributes(o[1]!));
      const chosen = options.find((o) => 'selected' in o) ?? options[0];
      if (a.name) add(fields, a.name, chosen?.value ?? '');
    }
  }
  return fields;
}

/** Posts a form with repeated names, signed in as `client`, with the anti-forgery token it last saw. */
export async function postFields(app: FastifyInstance, client: FormClient, url: string, fields: Fields): Promise<LightMyRequestResponse> {
  const form = new URLSearchParams();
  form.set('_csrf', client.csrf);
  for (const [name, value] of Object.entries(fields)) {
    if (name === '_csrf') continue;
    for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  }
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: client.ip,
    payload: form.toString(),
    headers: {
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    },
  });
}

/** A complete, valid job form: an on-site job in Seattle with three principles and a hiring manager. */
export function jobForm(overrides: Fields & { hiringManager: string }): Fields {
  return {
    title: 'Principal Ledger Engineer',
    team: 'amazon-web-services',
    category: 'Software Development',
    level: '6',
    employmentType: 'FULL_TIME',
    workplaceType: 'on_site',
    'loc1-city': 'Seattle',
    'loc1-region': 'WA',
    'loc1-country': 'US',
    'loc1-latitude': '47.6062',
    'loc1-longitude': '-122.3321',
    locationRows: '3',
    applicantCountries: '',
    description: '## The role\n\nKeep the **ledger** honest for every customer.',
    basicQualifications: '5+ years building services\nOn-call experience',
    preferredQualifications: 'Accounting systems',
    payCurrency: 'USD',
    payMin: '150,000',
    payMax: '210000',
    payUnit: 'YEAR',
    principles: ['customer-obsession', 'ownership', 'dive-deep'],
    questionRows: '2',
    'q1-label': 'Which ledger systems have you run?',
    'q1-kind': 'short_text',
    'q1-required': 'yes',
    'q2-label': '',
    'q2-kind': 'short_text',
    headcount: '2',
    closesAt: '',
    intent: 'save',
    ...overrides,
  };
}

/** The id of a job from the redirect after creating it. */
export function createdId(res: LightMyRequestResponse): number {
  const m = /^\/staff\/jobs\/(\d+)\?notice=created$/.exec(String(res.headers.location));
  if (res.statusCode !== 303 || !m) throw new Error(`Expected a redirect to the new job, got ${res.statusCode} ${String(res.headers.location)}: ${res.body.slice(0, 500)}`);
  return Number(m[1]);
}
