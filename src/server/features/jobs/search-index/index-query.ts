// A parsed search turned into what the in-memory index evaluates. PostgreSQL stems each word or
// phrase (the same calls the SQL search makes), once: the answers never change, so they are kept.
import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import type { ParsedQuery, SearchTerm } from '../../../../domain/search-query.ts';
import type { IndexQuery } from './search-index.ts';
import { parseTsQuery, type TsNode } from './tsquery.ts';

/** Stemmed forms kept per node; each is a few dozen bytes. */
const MAX_STEMS = 50_000;

/** The tsquery calls of a term's alternatives, as the SQL search makes them: the first may be a prefix, the rest are phrases. */
function alternativesOf(term: SearchTerm): string[] {
  return term.alternatives.map((words, i) => (i === 0 && term.prefix ? `p:${words[0]}:*` : `f:${words.join(' ')}`));
}

/** A stop-word term as a whole-word, case-insensitive match in the title (PostgreSQL's `~* '\mword\M'`). */
function titleWords(term: SearchTerm): RegExp {
  // Words are letters and digits only (normalizeWords), so they are safe inside a pattern.
  return new RegExp(`(?<![\\p{L}\\p{N}_])${term.text.split(' ').join('\\s+')}(?![\\p{L}\\p{N}_])`, 'iu');
}

export function createIndexQueries(db: Db): (parsed: ParsedQuery) => Promise<IndexQuery | undefined> {
  const stems = new Map<string, TsNode | undefined>();

  /** The stemmed form of each key, from the cache or one statement for all that are missing. */
  async function stem(keys: string[]): Promise<Map<string, TsNode | undefined>> {
    const out = new Map<string, TsNode | undefined>();
    const missing = [...new Set(keys.filter((k) => !stems.has(k)))];
    for (const key of keys) if (stems.has(key)) out.set(key, stems.get(key));
    if (missing.length === 0) return out;
    const calls = missing.map((key) =>
      key.startsWith('p:') ? sql`to_tsquery('english', ${key.slice(2)})::text` : sql`phraseto_tsquery('english', ${key.slice(2)})::text`,
    );
    const result = (await db.execute(sql`select array[${sql.join(calls, sql`, `)}]::text[] as stems`)) as unknown as { rows: Array<{ stems: string[] }> };
    const answers = result.rows[0]!.stems;
    if (stems.size + missing.length > MAX_STEMS) stems.clear();
    missing.forEach((key, i) => {
      const node = parseTsQuery(answers[i] ?? '');
      stems.set(key, node);
      out.set(key, node);
    });
    return out;
  }

  return async (parsed) => {
    if (parsed.include.length === 0 && parsed.exclude.length === 0) return undefined;
    const indexed = (terms: SearchTerm[]) => terms.filter((t) => !t.stop).map(alternativesOf);
    const include = indexed(parsed.include);
    const exclude = indexed(parsed.exclude);
    const stemmed = await stem([...include, ...exclude].flat());
    const nodes = (terms: string[][]) => terms.map((keys) => keys.map((k) => stemmed.get(k)));
    return {
      include: nodes(include),
      exclude: nodes(exclude),
      titleInclude: parsed.include.filter((t) => t.stop).map(titleWords),
      titleExclude: parsed.exclude.filter((t) => t.stop).map(titleWords),
    };
  };
}
