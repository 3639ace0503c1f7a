import { EMPLOYMENT_TYPE_LABELS, levelLabel, WORKPLACE_TYPE_LABELS } from '../../shared/contracts/jobs.ts';
import type { SearchParams } from '../../shared/contracts/search.ts';

const either = (values: string[]) => (values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`);

/**
 * A search in words, for the pages and emails of job alerts: “Jobs matching “data engineer”;
 * team: Legal; within 50 km of Seattle, US”. Team slugs become names when `teamName` knows them.
 */
export function describeSearch(params: Partial<SearchParams>, teamName: (slug: string) => string | undefined = () => undefined): string {
  const parts = [params.q ? `Jobs matching “${params.q}”` : 'All jobs'];
  const list = (label: string, values: Array<string | number> | undefined, name: (v: string) => string = (v) => v) => {
    if (values?.length) parts.push(`${label}: ${either(values.map((v) => name(String(v))))}`);
  };
  list('team', params.team, (slug) => teamName(slug) ?? slug);
  list('category', params.category);
  list('city', params.city);
  list('country', params.country);
  list('workplace', params.workplace, (v) => WORKPLACE_TYPE_LABELS[v as keyof typeof WORKPLACE_TYPE_LABELS] ?? v);
  list('employment type', params.type, (v) => EMPLOYMENT_TYPE_LABELS[v as keyof typeof EMPLOYMENT_TYPE_LABELS] ?? v);
  list('level', params.level, (v) => levelLabel(Number(v)));
  if (params.near) parts.push(`within ${params.km ?? 50} km of ${params.near}`);
  if (params.posted) parts.push(`posted in the past ${params.posted} day${params.posted === 1 ? '' : 's'}`);
  if (params.pay !== undefined) parts.push(`paying at least ${params.currency ? `${params.currency} ` : ''}${params.pay.toLocaleString('en-US')} a year`);
  return parts.join('; ');
}
