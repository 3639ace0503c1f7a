import { readFileSync } from 'node:fs';
import { firstMatchFinder, parseSearchQuery, parseSynonyms, type ParsedQuery, type Synonyms } from '../../../domain/search-query.ts';
import {
  EMPLOYMENT_TYPE_LABELS,
  jobPath,
  levelLabel,
  locationLabel,
  WORKPLACE_TYPE_LABELS,
  type EmploymentType,
  type PublicJob,
  type WorkplaceType,
} from '../../../shared/contracts/jobs.ts';
import { FACETS, PAGE_SIZE, type Facet, type FacetValue, type JobSummary, type SearchParams, type SearchResult } from '../../../shared/contracts/search.ts';
import type { Db } from '../../db/client.ts';
import { sharedRead } from '../../db/shared-read.ts';
import { findJobsByIds } from './jobs.repository.ts';
import { summaryPiecesCache } from './search-json.ts';
import { findCatalogVersion, findCityPoint, findTitleCorrections, ranksByWords, runSearch, textQuery, type FilterSql, type SearchRows } from './search.repository.ts';
import { createIndexQueries } from './search-index/index-query.ts';
import { UnsupportedQueryError, type IndexFilters } from './search-index/search-index.ts';
import type { SearchIndexSync } from './search-index/search-index.sync.ts';

const synonymsFile = new URL('./data/synonyms.txt', import.meta.url);

/** The synonym groups shipped in data/synonyms.txt. */
export const defaultSynonyms: Synonyms = parseSynonyms(readFileSync(synonymsFile, 'utf8'));

const FACET_LIMIT = 30;
/** Public forms of jobs kept for result pages (about 3 KB each). */
const MAX_CACHED_JOBS = 5000;

export interface JobSearch {
  /**
   * Runs a search: one page of results, facet counts, typo corrections and, when empty, filters
   * to relax. A feed asks for a longer page and no facets.
   */
  search(params: SearchParams, options?: { pageSize?: number; facets?: boolean }): Promise<SearchResult>;
  /** The parsed form of a query, for highlighting. */
  parse(q: string): ParsedQuery;
}

/**
 * Job search over public jobs. `teamName` labels team facets from the loaded content.
 *
 * Results are cached per search for up to `cacheTtlMs` while the catalogue version (raised by
 * a trigger on every change to jobs, on any node) stays the same: one cheap read replaces the
 * search for the many people who run the same popular searches. The time limit bounds how
 * late a job that opens or closes by the clock shows up.
 */
export function createJobSearch({
  db,
  publicUrl,
  teamName,
  synonyms = defaultSynonyms,
  cacheEntries = 1000,
  cacheTtlMs = 60_000,
  index,
  catalogVersion = sharedRead(() => findCatalogVersion(db)),
  contentVersion,
}: {
  db: Db;
  /** The in-memory index; without it (or while it loads) every search runs in SQL. */
  index?: SearchIndexSync;
  publicUrl: string;
  teamName: (slug: string) => string | undefined;
  synonyms?: Synonyms;
  /** How many distinct searches to keep; 0 turns the cache off. */
  cacheEntries?: number;
  cacheTtlMs?: number;
  /** Reads the catalogue version (see catalog-version.ts); by default once per search, shared by searches that ask at once. */
  catalogVersion?: () => Promise<number>;
  /**
   * The loaded content pack's version: job data holds team and principle names, so it is kept
   * while this and the catalogue version stay the same. Without it, job data also goes every
   * `cacheTtlMs`.
   */
  contentVersion?: () => number | undefined;
}): JobSearch {
  const parse = (q: string) => parseSearchQuery(q, synonyms);
  const cache = new Map<string, { version: number; at: number; result: SearchResult }>();
  const indexQuery = createIndexQueries(db);
  /** Each job's summary JSON around its excerpt, for the search API (see search-json.ts). */
  const rememberJson = summaryPiecesCache();
  /**
   * What searches read again and again and only a job or content change alters: each job's public
   * form and each word's typo correction. Dropped when the catalogue version or the content
   * version moves (without a content version, every `cacheTtlMs`). Dropping it by the clock made
   * the next searches re-read their jobs in a burst of statements, on PGlite on the event loop.
   */
  const catalogData = {
    version: -1,
    content: undefined as number | undefined,
    at: 0,
    jobs: new Map<number, PublicJob>(),
    corrections: new Map<string, string | undefined>(),
  };
  const dataFor = (version: number | undefined) => {
    if (version === undefined) return undefined;
    const content = contentVersion?.();
    const stale = contentVersion ? catalogData.content !== content : Date.now() - catalogData.at > cacheTtlMs;
    if (catalogData.version !== version || stale) {
      Object.assign(catalogData, { version, content, at: Date.now() });
      catalogData.jobs.clear();
      catalogData.corrections.clear();
    }
    return catalogData;
  };

  /** The public jobs of a page, in order: from the catalogue data when known, else read by id. */
  async function jobsByIds(ids: number[], version: number | undefined): Promise<PublicJob[]> {
    const data = dataFor(version);
    if (!data) return findJobsByIds(db, ids, { publicOnly: true });
    const missing = ids.filter((id) => !data.jobs.has(id));
    if (missing.length) {
      for (const job of await findJobsByIds(db, missing, { publicOnly: true })) data.jobs.set(job.id, job);
      while (data.jobs.size > MAX_CACHED_JOBS) data.jobs.delete(data.jobs.keys().next().value!);
    }
    return ids.flatMap((id) => data.jobs.get(id) ?? []);
  }

  async function cached(params: SearchParams, options: { pageSize?: number; facets?: boolean }): Promise<SearchResult> {
    if (cacheEntries === 0) return uncached(params, options, index ? await catalogVersion() : undefined);
    const key = JSON.stringify([params, options.pageSize, options.facets]);
    const version = await catalogVersion();
    const hit = cache.get(key);
    if (hit && hit.version === version && Date.now() - hit.at < cacheTtlMs) {
      // Refresh its place: the map's order is the eviction order.
      cache.delete(key);
      cache.set(key, hit);
      return hit.result;
    }
    const result = await uncached(params, options, version);
    cache.delete(key);
    cache.set(key, { version, at: Date.now(), result });
    if (cache.size > cacheEntries) cache.delete(cache.keys().next().value!);
    return result;
  }

  async function withCorrections(parsed: ParsedQuery, version: number | undefined) {
    const candidates = parsed.include.filter((t) => t.prefix && t.text.length >= 4 && !/\d/.test(t.text)).map((t) => t.text);
    const data = dataFor(version);
    const missing = data ? candidates.filter((word) => !data.corrections.has(word)) : candidates;
    const looked = missing.length ? await findTitleCorrections(db, missing) : new Map<string, string>();
    if (data) for (const word of missing) data.corrections.set(word, looked.get(word));
    const found = new Map<string, string>();
    for (const word of candidates) {
      const to = data ? data.corrections.get(word) : looked.get(word);
      if (to) found.set(word, to);
    }
    const corrections = [...found].map(([from, to]) => ({ from, to }));
    const include = parsed.include.map((t) => {
      const to = found.get(t.text);
      return to ? { ...t, alternatives: [...t.alternatives, [to]] } : t;
    });
    return { parsed: { ...parsed, include }, corrections };
  }

  /** The page, total, facets and relax counts from the in-memory index, or undefined when it cannot answer (loading, or a query it does not support). */
  async function fromIndex(
    version: number,
    parsed: ParsedQuery,
    params: SearchParams,
    nearPoint: { latitude: number; longitude: number } | undefined,
    options: { ranked: boolean; limit: number; offset: number; facets: boolean },
  ): Promise<(SearchRows & { withoutWords: number }) | undefined> {
    const current = await index?.current(version);
    if (!current) return undefined;
    const filters: IndexFilters = {
      team: params.team,
      category: params.category,
      city: params.city,
      country: params.country,
      workplace: params.workplace,
      type: params.type,
      level: params.level,
      posted: params.posted,
      pay: params.pay,
      currency: params.currency,
      near: params.near ? (nearPoint ? { ...nearPoint, km: params.km } : null) : undefined,
    };
    try {
      return current.search(await indexQuery(parsed), filters, { now: Date.now() * 1000, facetLimit: FACET_LIMIT, ...options });
    } catch (error) {
      if (error instanceof UnsupportedQueryError) return undefined;
      throw error;
    }
  }

  async function uncached(params: SearchParams, options: { pageSize?: number; facets?: boolean }, version: number | undefined): Promise<SearchResult> {
    const pageSize = options.pageSize ?? PAGE_SIZE;
    const { parsed, corrections } = await withCorrections(parse(params.q), version);
    const nearPoint = params.near ? await findCityPoint(db, params.near) : undefined;
    const sort = params.sort ?? (ranksByWords(parsed) ? 'relevance' : 'newest');
    const hasWords = parsed.include.length > 0 || parsed.exclude.length > 0;
    const page = params.page;
    const shape = { limit: pageSize, offset: (page - 1) * pageSize, facets: options.facets !== false };
    const indexed = version === undefined ? undefined : await fromIndex(version, parsed, params, nearPoint, { ranked: sort === 'relevance', ...shape });
    // The SQL of the words is built only when SQL answers (drizzle's builder cost 2–3% of a search).
    const rows = indexed ?? (await runSearch(db, { text: textQuery(parsed), params, nearPoint, sort, facetLimit: FACET_LIMIT, ...shape }));
    const withoutWords = async () =>
      indexed
        ? indexed.withoutWords
        : (await runSearch(db, { text: undefined, params, nearPoint, sort: 'newest', limit: 0, offset: 0, facets: false, facetLimit: 0 })).total;
    const jobs = await jobsByIds(rows.ids, version);
    const firstMatch = firstMatchFinder(parsed);
    const facets = Object.fromEntries(FACETS.map((facet) => [facet, labelFacet(facet, rows.facets[facet], teamName)])) as Record<Facet, FacetValue[]>;
    return {
      params,
      total: rows.total,
      page,
      pageCount: Math.ceil(rows.total / pageSize),
      jobs: jobs.map((job) => rememberJson(job, summarize(job, firstMatch, publicUrl))),
      facets,
      corrections,
      relax: rows.total === 0 ? await relaxations(params, rows.without, hasWords ? withoutWords : undefined) : [],
    };
  }

  /** Which single filter (or the words) to drop to get results, and how many it would give. */
  async function relaxations(
    params: SearchParams,
    without: SearchRows['without'],
    withoutWords: (() => Promise<number>) | undefined,
  ): Promise<SearchResult['relax']> {
    const labels: Record<keyof FilterSql, [keyof SearchParams, string]> = {
      team: ['team', 'team'],
      category: ['category', 'category'],
      city: ['city', 'city'],
      country: ['country', 'country'],
      near: ['near', 'distance'],
      workplace: ['workplace', 'workplace type'],
      type: ['type', 'employment type'],
      level: ['level', 'level'],
      posted: ['posted', 'date posted'],
      pay: ['pay', 'minimum pay'],
    };
    const options: SearchResult['relax'] = Object.entries(without)
      .filter(([, total]) => total > 0)
      .map(([key, total]) => {
        const [param, label] = labels[key as keyof FilterSql];
        return { param, label, total };
      });
    if (withoutWords) {
      const total = await withoutWords();
      if (total > 0) options.push({ param: 'q', label: `the words “${params.q}”`, total });
    }
    return options.sort((a, b) => b.total - a.total);
  }

  return { search: (params, options = {}) => cached(params, options), parse };
}

function labelFacet(facet: Facet, rows: Array<{ value: string; count: number }>, teamName: (slug: string) => string | undefined): FacetValue[] {
  const label = (value: string): string => {
    switch (facet) {
      case 'team':
        return teamName(value) ?? value;
      case 'workplace':
        return WORKPLACE_TYPE_LABELS[value as WorkplaceType] ?? value;
      case 'type':
        return EMPLOYMENT_TYPE_LABELS[value as EmploymentType] ?? value;
      case 'level':
        return levelLabel(Number(value));
      case 'posted':
        return value === '1' ? 'Past 24 hours' : `Past ${value} days`;
      default:
        return value;
    }
  };
  const out = rows.map((r) => ({ value: r.value, label: label(r.value), count: r.count }));
  return facet === 'level' ? out.sort((a, b) => Number(a.value) - Number(b.value)) : out;
}

/** Plain text of Markdown, for excerpts. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/^[#>\-*+\s]+|[*_`~]/gm, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Plain texts of the descriptions of the jobs search pages show: the same job objects come back from the catalogue data. */
const plainTexts = new WeakMap<PublicJob, string>();

/** The plain text of a job's description, worked out once per job object. */
function descriptionText(job: PublicJob): string {
  let text = plainTexts.get(job);
  if (text === undefined) plainTexts.set(job, (text = plainText(job.descriptionMd)));
  return text;
}

/** About 200 characters of a description's plain text, starting near the first matched word when there is one. */
export function excerpt(text: string, firstMatch: (text: string) => number, length = 200): string {
  let start = 0;
  const offset = firstMatch(text);
  if (offset > length / 2) start = text.lastIndexOf(' ', offset - 40) + 1;
  let end = Math.min(text.length, start + length);
  if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
  return `${start > 0 ? '… ' : ''}${text.slice(start, end)}${end < text.length ? ' …' : ''}`;
}

/** A job as a result shows it; `firstMatch` (from `firstMatchFinder`) places the excerpt. */
export function summarize(job: PublicJob, firstMatch: (text: string) => number, publicUrl: string): JobSummary {
  return {
    id: job.id,
    slug: job.slug,
    title: job.title,
    team: job.team,
    category: job.category,
    level: job.level,
    employmentType: job.employmentType,
    workplaceType: job.workplaceType,
    location: locationLabel(job),
    postedAt: job.postedAt.toISOString(),
    pay: job.pay,
    excerpt: excerpt(descriptionText(job), firstMatch),
    url: `${publicUrl}${jobPath(job)}`,
  };
}
