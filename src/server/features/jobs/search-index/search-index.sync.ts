// Keeps a node's in-memory search index equal to the database. At start the public jobs are
// loaded in chunks, in the background; until then searches run in SQL. Afterwards, when the
// catalogue version moves, the jobs named in `job_changes` since the last sync are reloaded —
// read by transaction id, so a transaction that commits late is never skipped — before the
// search runs, so an edit is searchable at once on every node.
import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { SearchIndex, type IndexJob } from './search-index.ts';

/** How many jobs one load reads at a time (each load blocks PGlite's event loop for its duration). */
const CHUNK = 5000;
/** Beyond this many changed jobs, a fresh load is cheaper than reloading each. */
const RELOAD_LIMIT = 20_000;
/** Removed jobs leave holes; past this share a fresh load compacts the index. */
const MAX_WASTE = 0.3;
/** job_changes entries live a day; a node that has not synced for half of that loads afresh. */
const STALE_AFTER_MS = 12 * 3600_000;

export interface SearchIndexSync {
  /** Starts loading the index in the background; the promise settles when it has loaded (or failed). */
  start(): Promise<void>;
  /** The index, brought up to date with the catalogue `version`; undefined while it loads (search in SQL). */
  current(version: number): Promise<SearchIndex | undefined>;
  /** Whether the index has loaded. */
  ready(): boolean;
  stop(): Promise<void>;
}

type Rows<T> = { rows: T[] };

interface JobRecord {
  id: number;
  team: string;
  category: string;
  level: number;
  employment_type: string;
  workplace_type: string;
  cities: string[] | string;
  countries: string[] | string;
  points: Array<[number, number]> | string;
  posted_at: number | string;
  closes_at: number | string | null;
  pay_max_annual: number | string | null;
  pay_currency: string | null;
  title: string;
  doc: string;
}

/** JSON columns arrive parsed from one driver and as text from another. */
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

function toIndexJob(r: JobRecord): IndexJob {
  return {
    id: r.id,
    team: r.team,
    category: r.category,
    level: Number(r.level),
    employmentType: r.employment_type,
    workplaceType: r.workplace_type,
    cities: json(r.cities),
    countries: json(r.countries),
    points: json(r.points).map(([latitude, longitude]) => ({ latitude, longitude })),
    postedAt: Number(r.posted_at),
    closesAt: r.closes_at === null ? null : Number(r.closes_at),
    payMaxAnnual: r.pay_max_annual === null ? null : Number(r.pay_max_annual),
    payCurrency: r.pay_currency,
    title: r.title,
    doc: r.doc,
  };
}

/** The index's columns of public-candidate jobs (open and posted; the clock decides the rest at search time). */
const jobColumns = sql`
  select j.id, t.slug as team, j.category, j.level, j.employment_type, j.workplace_type, to_json(j.cities) as cities, to_json(j.countries) as countries,
    (select coalesce(json_agg(json_build_array((l->>'latitude')::float8, (l->>'longitude')::float8)), '[]'::json)
      from jsonb_array_elements(j.locations) as l where l->>'latitude' is not null and l->>'longitude' is not null) as points,
    (extract(epoch from j.posted_at) * 1000000)::float8 as posted_at,
    (extract(epoch from j.closes_at) * 1000000)::float8 as closes_at,
    j.pay_max_annual::float8 as pay_max_annual, j.pay_currency, j.title, j.search_doc::text as doc
  from jobs j join teams t on t.id = j.team_id
  where j.status = 'open' and j.posted_at is not null`;

export function createSearchIndexSync({ db, onError = () => {} }: { db: Db; onError?: (error: unknown) => void }): SearchIndexSync {
  let index: SearchIndex | undefined;
  /** Transactions with ids below this had all finished when the index last read job_changes. */
  let seenBelow = '0';
  let version = -1;
  let syncedAt = 0;
  let loading: Promise<void> | undefined;
  let syncing: Promise<void> | undefined;
  let stopped = false;
  let prunedAt = 0;

  const snapshotXmin = async () =>
    ((await db.execute(sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`)) as unknown as Rows<{ xmin: string }>).rows[0]!.xmin;

  async function load(): Promise<void> {
    const below = await snapshotXmin();
    const versionAtStart = ((await db.execute(sql`select version from catalog_state where id = 1`)) as unknown as Rows<{ version: number }>).rows[0]?.version ?? 0;
    const fresh = new SearchIndex();
    // Jobs are held grouped by team, the first way people narrow a search (each team page links
    // to its jobs), and within a team by their other single-valued facets: a team's jobs then sit
    // side by side in memory, and counting facets adds up runs of jobs alike at once.
    const { rows: order } = (await db.execute(
      sql`select j.id from jobs j where j.status = 'open' and j.posted_at is not null
          order by j.team_id, j.category, j.workplace_type, j.employment_type, j.level, j.id`,
    )) as unknown as Rows<{ id: number }>;
    for (let i = 0; i < order.length; i += CHUNK) {
      if (stopped) return;
      const chunk = order.slice(i, i + CHUNK).map((r) => r.id);
      const { rows } = (await db.execute(sql`${jobColumns} and j.id = any(${`{${chunk.join(',')}}`}::int[])`)) as unknown as Rows<JobRecord>;
      const byId = new Map(rows.map((row) => [row.id, row]));
      // A job closed or removed since the order was read is left out; job_changes brings it up to date.
      for (const id of chunk) {
        const row = byId.get(id);
        if (row) fresh.upsert(toIndexJob(row));
      }
    }
    fresh.prepare();
    index = fresh;
    seenBelow = below;
    // Whatever committed after `below` is read from job_changes by the next sync.
    version = versionAtStart;
    syncedAt = Date.now();
  }

  function startLoad(): Promise<void> {
    if (loading || stopped) return loading ?? Promise.resolve();
    index = undefined;
    loading = load()
      .catch((error: unknown) => {
        if (!stopped) onError(error);
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  async function sync(target: number): Promise<void> {
    const below = await snapshotXmin();
    const { rows } = (await db.execute(
      sql`select distinct job_id from job_changes where xid >= ${seenBelow}::xid8 limit ${RELOAD_LIMIT + 1}`,
    )) as unknown as Rows<{ job_id: number | null }>;
    const ids = rows.map((r) => r.job_id);
    if (ids.includes(null) || ids.length > RELOAD_LIMIT) {
      void startLoad();
      return;
    }
    const current = index!;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK) as number[];
      const found = (await db.execute(sql`${jobColumns} and j.id = any(${`{${chunk.join(',')}}`}::int[])`)) as unknown as Rows<JobRecord>;
      const present = new Set(found.rows.map((r) => r.id));
      for (const id of chunk) if (!present.has(id)) current.delete(id);
      for (const row of found.rows) current.upsert(toIndexJob(row));
    }
    seenBelow = below;
    version = Math.max(version, target);
    syncedAt = Date.now();
    if (current.waste > MAX_WASTE && current.count > 1000) void startLoad();
    if (Date.now() - prunedAt > 3600_000) {
      prunedAt = Date.now();
      await db.execute(sql`delete from job_changes where changed_at < now() - interval '1 day'`);
    }
  }

  return {
    start: startLoad,
    ready: () => index !== undefined,
    async current(target) {
      if (!index || stopped) return undefined;
      if (Date.now() - syncedAt > STALE_AFTER_MS) {
        void startLoad();
        return undefined;
      }
      try {
        // Versions only rise: a sync for a newer version than this search read also serves it.
        while (index && version < target) {
          syncing ??= sync(target).finally(() => {
            syncing = undefined;
          });
          await syncing;
        }
      } catch (error) {
        onError(error);
        return undefined;
      }
      return index;
    },
    async stop() {
      stopped = true;
      await Promise.allSettled([loading, syncing]);
    },
  };
}
