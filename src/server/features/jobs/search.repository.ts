import { and, arrayOverlaps, eq, inArray, notInArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { catalogState, jobs, teams, titleWords } from '../../db/schema/index.ts';
import type { ParsedQuery, SearchTerm } from '../../../domain/search-query.ts';
import type { Facet, SearchParams } from '../../../shared/contracts/search.ts';
import { isPublic } from './jobs.repository.ts';

/** The filters of a search, each as SQL, so a facet can leave out its own. */
export type FilterSql = Partial<Record<Facet | 'near' | 'pay', SQL>>;

/** A tsquery for one term: any alternative, each a phrase; a plain single word also matches as a prefix. */
function termQuery(term: SearchTerm): SQL {
  const parts = term.alternatives.map((words, i) =>
    i === 0 && term.prefix
      ? // Letters and digits only (normalizeWords), so the word cannot carry tsquery operators.
        sql`to_tsquery('english', ${`${words[0]}:*`})`
      : sql`phraseto_tsquery('english', ${words.join(' ')})`,
  );
  return sql`(${sql.join(parts, sql` || `)})`;
}

/** Whether a query's words rank its results: some word to include is in the full-text index (not a stop word). */
export const ranksByWords = (parsed: ParsedQuery): boolean => parsed.include.some((t) => !t.stop);

/** The full-text condition: every included term, no excluded one. Undefined when the query has no words. */
export function textQuery(parsed: ParsedQuery): { match: SQL; rank: SQL | undefined } | undefined {
  if (parsed.include.length === 0 && parsed.exclude.length === 0) return undefined;
  const indexed = (terms: SearchTerm[]) => terms.filter((t) => !t.stop);
  const include = indexed(parsed.include).map(termQuery);
  const exclude = indexed(parsed.exclude).map((t) => sql`!!${termQuery(t)}`);
  const all = [...include, ...exclude];
  // Stop words are not in the index: match them as whole words of the title (letters and digits only, so regex-safe).
  const inTitle = (t: SearchTerm) => sql`${jobs.title} ~* ${`\\m${t.text.split(' ').join('\\s+')}\\M`}`;
  const conditions = [
    ...(all.length ? [sql`${jobs.searchDoc} @@ (${sql.join(all, sql` && `)})`] : []),
    ...parsed.include.filter((t) => t.stop).map(inTitle),
    ...parsed.exclude.filter((t) => t.stop).map((t) => sql`not ${inTitle(t)}`),
  ];
  return {
    match: sql.join(conditions, sql` and `),
    rank: ranksByWords(parsed) ? sql`(${sql.join(include, sql` && `)})` : undefined,
  };
}

/** Columns a filter reads: of the jobs table, or of the `base` set a search statement builds. */
interface FilterColumns {
  teamId: SQLWrapper;
  category: SQLWrapper;
  cities: SQLWrapper;
  countries: SQLWrapper;
  workplaceType: SQLWrapper;
  employmentType: SQLWrapper;
  level: SQLWrapper;
  postedAt: SQLWrapper;
  payMaxAnnual: SQLWrapper;
  payCurrency: SQLWrapper;
  /** True when the job lies within the `near` radius. */
  near: SQL;
}

const baseColumns = (name: string) => sql.raw(`base.${name}`);

/** Each filter of the search params as SQL over `cols`. `near` needs the reference point, looked up first. */
export function filterSql(
  params: SearchParams,
  nearPoint: { latitude: number; longitude: number } | undefined,
  cols: FilterColumns = jobColumnsForFilters(params, nearPoint),
): FilterSql {
  const f: FilterSql = {};
  const inList = (column: SQLWrapper, values: Array<string | number>) => sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
  const overlaps = (column: SQLWrapper, values: string[]) => sql`${column} && ${sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`}`;
  if (params.team.length) f.team = sql`${cols.teamId} in (select ${teams.id} from ${teams} where ${inArray(teams.slug, params.team)})`;
  if (params.category.length) f.category = inList(cols.category, params.category);
  if (params.city.length) f.city = overlaps(cols.cities, params.city);
  if (params.country.length) f.country = overlaps(cols.countries, params.country);
  if (params.workplace.length) f.workplace = inList(cols.workplaceType, params.workplace);
  if (params.type.length) f.type = inList(cols.employmentType, params.type);
  if (params.level.length) f.level = inList(cols.level, params.level);
  if (params.posted) f.posted = sql`${cols.postedAt} >= now() - make_interval(days => ${params.posted}::int)`;
  if (params.pay !== undefined) {
    f.pay = params.currency
      ? sql`(${cols.payMaxAnnual} >= ${params.pay} and ${cols.payCurrency} = ${params.currency})`
      : sql`${cols.payMaxAnnual} >= ${params.pay}`;
  }
  // An unknown city matches nothing rather than everything.
  if (params.near) f.near = nearPoint ? cols.near : sql`false`;
  return f;
}

/** Whether a job has a location within `km` of the point. */
function nearSql(point: { latitude: number; longitude: number }, km: number): SQL {
  return sql`exists (select 1 from jsonb_array_elements(${jobs.locations}) as l
    where l->>'latitude' is not null and ${haversineKm(point, sql`(l->>'latitude')::float8`, sql`(l->>'longitude')::float8`)} <= ${km})`;
}

function jobColumnsForFilters(params: SearchParams, nearPoint: { latitude: number; longitude: number } | undefined): FilterColumns {
  return {
    teamId: jobs.teamId,
    category: jobs.category,
    cities: jobs.cities,
    countries: jobs.countries,
    workplaceType: jobs.workplaceType,
    employmentType: jobs.employmentType,
    level: jobs.level,
    postedAt: jobs.postedAt,
    payMaxAnnual: jobs.payMaxAnnual,
    payCurrency: jobs.payCurrency,
    near: nearPoint ? nearSql(nearPoint, params.km) : sql`false`,
  };
}

function haversineKm(p: { latitude: number; longitude: number }, lat: SQL, lon: SQL): SQL {
  return sql`(12742 * asin(sqrt(
    power(sin(radians(${lat} - ${p.latitude}::float8) / 2), 2) +
    cos(radians(${p.latitude}::float8)) * cos(radians(${lat})) * power(sin(radians(${lon} - ${p.longitude}::float8) / 2), 2))))`;
}

/** The coordinates of a city label ("Seattle, US") as some job records it. */
export async function findCityPoint(db: Db, label: string): Promise<{ latitude: number; longitude: number } | undefined> {
  const result = (await db.execute(sql`
    select (l->>'latitude')::float8 as latitude, (l->>'longitude')::float8 as longitude
    from ${jobs}, jsonb_array_elements(${jobs.locations}) as l
    where ${arrayOverlaps(jobs.cities, [label])}
      and (l->>'city') || ', ' || (l->>'country') = ${label}
      and l->>'latitude' is not null
    limit 1`)) as unknown as { rows: Array<{ latitude: number; longitude: number }> };
  return result.rows[0];
}

const where = (...conditions: Array<SQL | undefined>) => and(isPublic, ...conditions);



/** For each word that is not a known title word, the most similar one that is (trigram similarity ≥ 0.45). */
export async function findTitleCorrections(db: Db, words: string[]): Promise<Map<string, string>> {
  const corrections = new Map<string, string>();
  if (words.length === 0) return corrections;
  const known = await db.select({ word: titleWords.word }).from(titleWords).where(inArray(titleWords.word, words));
  const unknown = words.filter((w) => !known.some((k) => k.word === w));
  for (const word of unknown) {
    const rows = await db
      .select({ word: titleWords.word })
      .from(titleWords)
      .where(sql`${titleWords.word} % ${word} and similarity(${titleWords.word}, ${word}) >= 0.45`)
      .orderBy(sql`similarity(${titleWords.word}, ${word}) desc, ${titleWords.jobs} desc`)
      .limit(1);
    if (rows[0]) corrections.set(word, rows[0].word);
  }
  return corrections;
}

/** Up to `limit` other public jobs like this one: same category first, then same team, newest first. */
export async function findSimilarJobIds(db: Db, job: { id: number; teamId: number; category: string }, limit: number): Promise<number[]> {
  const ids: number[] = [];
  for (const condition of [eq(jobs.category, job.category), eq(jobs.teamId, job.teamId), undefined]) {
    if (ids.length >= limit) break;
    const rows = await db
      .select({ id: jobs.id })
      .from(jobs)
      .where(where(condition, sql`${jobs.id} <> ${job.id}`, ids.length ? notInArray(jobs.id, ids) : undefined))
      .orderBy(sql`${jobs.postedAt} desc, ${jobs.id} desc`)
      .limit(limit - ids.length);
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/** What one search statement answers: the page of ids, the total, and every facet's counts. */
export interface SearchRows {
  total: number;
  ids: number[];
  facets: Record<Facet, Array<{ value: string; count: number }>>;
  /** With no result: how many jobs each filter's removal would give. */
  without: Partial<Record<keyof FilterSql, number>>;
}

/**
 * Runs a whole search in ONE statement. The jobs that match the words (or every public job
 * when there are none) are read once into `base`, with only the columns filters and facets need;
 * the page, the total, each facet (over every filter but its own) and the relax counts are
 * then aggregates over that small in-memory set, not new passes over the table.
 */
export async function runSearch(
  db: Db,
  options: {
    text: ReturnType<typeof textQuery>;
    params: SearchParams;
    nearPoint: { latitude: number; longitude: number } | undefined;
    sort: 'relevance' | 'newest';
    limit: number;
    offset: number;
    facets: boolean;
    facetLimit: number;
  },
): Promise<SearchRows> {
  const { text, params, nearPoint } = options;
  const filters = filterSql(params, nearPoint, {
    teamId: baseColumns('team_id'),
    category: baseColumns('category'),
    cities: baseColumns('cities'),
    countries: baseColumns('countries'),
    workplaceType: baseColumns('workplace_type'),
    employmentType: baseColumns('employment_type'),
    level: baseColumns('level'),
    postedAt: baseColumns('posted_at'),
    payMaxAnnual: baseColumns('pay_max_annual'),
    payCurrency: baseColumns('pay_currency'),
    near: baseColumns('near_ok'),
  });
  const whereAll = (except?: string) => {
    const parts = Object.entries(filters)
      .filter(([key]) => key !== except)
      .map(([, condition]) => condition);
    return parts.length ? sql`where ${sql.join(parts, sql` and `)}` : sql``;
  };
  const titleHit = text?.rank ? sql`${jobs.titleDoc} @@ ${text.rank}` : sql`false`;
  const near = nearPoint ? nearSql(nearPoint, params.km) : sql`true`;
  const order = options.sort === 'relevance' && text?.rank ? sql`title_hit desc, posted_at desc, id desc` : sql`posted_at desc, id desc`;
  const grouped = (facet: Facet, value: SQL) => sql`(select coalesce(json_agg(json_build_object('value', v, 'count', n) order by n desc, v), '[]'::json)
      from (select ${value} as v, count(*)::int as n from base ${whereAll(facet)} group by 1 order by 2 desc, 1 limit ${options.facetLimit}) g)`;
  const facetSql = options.facets
    ? sql`,
      'team', (select coalesce(json_agg(json_build_object('value', t.slug, 'count', c.n) order by c.n desc, t.slug), '[]'::json)
        from (select team_id, count(*)::int as n from base ${whereAll('team')} group by 1) c join ${teams} t on t.id = c.team_id),
      'category', ${grouped('category', sql`category`)},
      'city', ${grouped('city', sql`unnest(cities)`)},
      'country', ${grouped('country', sql`unnest(countries)`)},
      'workplace', ${grouped('workplace', sql`workplace_type`)},
      'type', ${grouped('type', sql`employment_type`)},
      'level', ${grouped('level', sql`level::text`)},
      'posted', (select json_build_array(
          json_build_object('value', '1', 'count', count(*) filter (where posted_at >= now() - interval '1 day')),
          json_build_object('value', '7', 'count', count(*) filter (where posted_at >= now() - interval '7 days')),
          json_build_object('value', '30', 'count', count(*) filter (where posted_at >= now() - interval '30 days')))
        from base ${whereAll('posted')})`
    : sql``;
  const withoutSql = Object.keys(filters).map((key) => sql`, ${key}::text, (select count(*)::int from base ${whereAll(key)})`);
  const result = (await db.execute(sql`
    with base as materialized (
      select ${jobs.id} as id, ${jobs.teamId} as team_id, ${jobs.category} as category, ${jobs.level} as level,
        ${jobs.employmentType} as employment_type, ${jobs.workplaceType} as workplace_type, ${jobs.countries} as countries,
        ${jobs.cities} as cities, ${jobs.postedAt} as posted_at, ${jobs.payMaxAnnual} as pay_max_annual,
        ${jobs.payCurrency} as pay_currency, ${titleHit} as title_hit, ${near} as near_ok
      from ${jobs}
      where ${and(isPublic, text?.match)}
    ),
    matches as (select id, title_hit, posted_at from base ${whereAll()})
    select json_build_object(
      'total', (select count(*)::int from matches),
      'ids', (select coalesce(json_agg(id), '[]'::json) from (select id from matches order by ${order} limit ${options.limit} offset ${options.offset}) p)
      ${facetSql},
      'without', json_build_object('_' , 0 ${sql.join(withoutSql, sql``)})
    ) as result`)) as unknown as { rows: Array<{ result: unknown }> };
  const raw = result.rows[0]!.result;
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as SearchRows & { without: Record<string, number> };
  const { _: _ignored, ...without } = parsed.without;
  const empty = { team: [], category: [], city: [], country: [], workplace: [], type: [], level: [], posted: [] };
  return { total: parsed.total, ids: parsed.ids, facets: options.facets ? { ...empty, ...pickFacets(parsed as unknown as Record<string, unknown>) } : empty, without };
}

function pickFacets(parsed: Record<string, unknown>): Partial<SearchRows['facets']> {
  const out: Record<string, Array<{ value: string; count: number }>> = {};
  for (const facet of ['team', 'category', 'city', 'country', 'workplace', 'type', 'level', 'posted'] as const) {
    const rows = parsed[facet] as Array<{ value: unknown; count: number }> | undefined;
    if (rows) out[facet] = rows.map((r) => ({ value: String(r.value), count: r.count }));
  }
  return out;
}

/** The catalogue version: raised by a trigger on every change to jobs, read to validate cached results. */
export async function findCatalogVersion(db: Db): Promise<number> {
  // Read on every search: a statement without parameters skips the bind round trip (it costs ~2 ms on PGlite).
  const result = (await db.execute(sql`select ${catalogState.version} as version from ${catalogState} where ${catalogState.id} = 1`)) as unknown as {
    rows: Array<{ version: number }>;
  };
  return Number(result.rows[0]?.version ?? 0);
}
