import { and, arrayOverlaps, eq, gte, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { jobs, teams, titleWords } from '../../db/schema/index.ts';
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

/** The full-text condition: every included term, no excluded one. Undefined when the query has no words. */
export function textQuery(parsed: ParsedQuery): { match: SQL; rank: SQL | undefined } | undefined {
  if (parsed.include.length === 0 && parsed.exclude.length === 0) return undefined;
  const include = parsed.include.map(termQuery);
  const exclude = parsed.exclude.map((t) => sql`!!${termQuery(t)}`);
  const all = [...include, ...exclude];
  return {
    match: sql`${jobs.searchDoc} @@ (${sql.join(all, sql` && `)})`,
    rank: include.length ? sql`(${sql.join(include, sql` && `)})` : undefined,
  };
}

/** Each filter of the search params as SQL. `near` needs the reference point, looked up first. */
export function filterSql(params: SearchParams, nearPoint: { latitude: number; longitude: number } | undefined): FilterSql {
  const f: FilterSql = {};
  if (params.team.length) f.team = inArray(jobs.teamId, sql`(select ${teams.id} from ${teams} where ${inArray(teams.slug, params.team)})`);
  if (params.category.length) f.category = inArray(jobs.category, params.category);
  if (params.city.length) f.city = arrayOverlaps(jobs.cities, params.city);
  if (params.country.length) f.country = arrayOverlaps(jobs.countries, params.country);
  if (params.workplace.length) f.workplace = inArray(jobs.workplaceType, params.workplace);
  if (params.type.length) f.type = inArray(jobs.employmentType, params.type);
  if (params.level.length) f.level = inArray(jobs.level, params.level);
  if (params.posted) f.posted = gte(jobs.postedAt, sql`now() - make_interval(days => ${params.posted}::int)`);
  if (params.pay !== undefined) {
    f.pay = and(gte(jobs.payMaxAnnual, params.pay), params.currency ? eq(jobs.payCurrency, params.currency) : undefined);
  }
  if (params.near) {
    // An unknown city matches nothing rather than everything.
    f.near = nearPoint
      ? sql`exists (select 1 from jsonb_array_elements(${jobs.locations}) as l
          where l->>'latitude' is not null and ${haversineKm(nearPoint, sql`(l->>'latitude')::float8`, sql`(l->>'longitude')::float8`)} <= ${params.km})`
      : sql`false`;
  }
  return f;
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

/** Ids of one page of matching public jobs, best first (or newest first), and the total. */
export async function findMatchingIds(
  db: Db,
  options: { text: ReturnType<typeof textQuery>; filters: FilterSql; sort: 'relevance' | 'newest'; limit: number; offset: number },
): Promise<{ ids: number[]; total: number }> {
  const condition = where(options.text?.match, ...Object.values(options.filters));
  const order =
    options.sort === 'relevance' && options.text?.rank
      ? sql`ts_rank_cd(${jobs.searchDoc}, ${options.text.rank}, 1) desc, ${jobs.postedAt} desc, ${jobs.id} desc`
      : sql`${jobs.postedAt} desc, ${jobs.id} desc`;
  const [rows, count] = await Promise.all([
    db.select({ id: jobs.id }).from(jobs).where(condition).orderBy(order).limit(options.limit).offset(options.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(jobs).where(condition),
  ]);
  return { ids: rows.map((r) => r.id), total: count[0]!.n };
}

/** Counts per value of one facet, over the jobs matching the text and every filter but the facet's own. */
export async function countFacet(
  db: Db,
  facet: Facet,
  options: { text: ReturnType<typeof textQuery>; filters: FilterSql; limit: number },
): Promise<Array<{ value: string; count: number }>> {
  const others = Object.entries(options.filters)
    .filter(([key]) => key !== facet)
    .map(([, condition]) => condition);
  const condition = where(options.text?.match, ...others);
  if (facet === 'team') {
    // Group by the id, then name the few groups: no per-row lookup.
    const counts = db
      .select({ teamId: jobs.teamId, count: sql<number>`count(*)::int`.as('count') })
      .from(jobs)
      .where(condition)
      .groupBy(jobs.teamId)
      .as('counts');
    const rows = await db
      .select({ value: teams.slug, count: counts.count })
      .from(counts)
      .innerJoin(teams, eq(teams.id, counts.teamId))
      .orderBy(sql`${counts.count} desc, ${teams.slug}`)
      .limit(options.limit);
    return rows;
  }
  const value = {
    team: undefined,
    category: sql<string>`${jobs.category}`,
    city: sql<string>`unnest(${jobs.cities})`,
    country: sql<string>`unnest(${jobs.countries})`,
    workplace: sql<string>`${jobs.workplaceType}`,
    type: sql<string>`${jobs.employmentType}`,
    level: sql<string>`${jobs.level}::text`,
    posted: undefined,
  }[facet];
  if (facet === 'posted' || !value) {
    const rows = await db
      .select({
        d1: sql<number>`count(*) filter (where ${jobs.postedAt} >= now() - interval '1 day')::int`,
        d7: sql<number>`count(*) filter (where ${jobs.postedAt} >= now() - interval '7 days')::int`,
        d30: sql<number>`count(*) filter (where ${jobs.postedAt} >= now() - interval '30 days')::int`,
      })
      .from(jobs)
      .where(condition);
    const r = rows[0]!;
    return [
      { value: '1', count: r.d1 },
      { value: '7', count: r.d7 },
      { value: '30', count: r.d30 },
    ];
  }
  const rows = await db
    .select({ value, count: sql<number>`count(*)::int` })
    .from(jobs)
    .where(condition)
    .groupBy(sql`1`)
    .orderBy(sql`2 desc, 1`)
    .limit(options.limit);
  return rows.map((r) => ({ value: String(r.value), count: r.count }));
}

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
