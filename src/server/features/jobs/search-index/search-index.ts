// The public job catalogue held in memory for search: an inverted index of the words PostgreSQL
// put in each job's search document (with their positions, for phrases), and the filter and
// facet columns as typed arrays. A search costs time in proportion to the jobs its words match,
// with a tiny constant: counting eight facets over 200,000 matches is a loop over typed arrays,
// not 200,000 rows read from disk. Pure: no I/O. `search-index.sync.ts` fills it from the
// database and keeps it current; PostgreSQL stays the source of truth and stems the words.
import { add, andCount, andInto, andNotInto, count, countRange, forEach, orInto, popcount32, remove, resized, wordsFor, type Bitset } from './bitset.ts';
import { phraseChain, type ChainLink, type TsNode } from './tsquery.ts';
import type { Facet } from '../../../../shared/contracts/search.ts';

/** One public job as the index needs it. Times are microseconds since the epoch, as PostgreSQL keeps them. */
export interface IndexJob {
  id: number;
  team: string;
  category: string;
  level: number;
  employmentType: string;
  workplaceType: string;
  cities: string[];
  countries: string[];
  points: Array<{ latitude: number; longitude: number }>;
  postedAt: number;
  closesAt: number | null;
  payMaxAnnual: number | null;
  payCurrency: string | null;
  title: string;
  /** The search document in PostgreSQL's text form of a tsvector. */
  doc: string;
}

/** What a search asks of the index: stemmed terms (each any of its alternatives) and stop words matched in titles. */
export interface IndexQuery {
  /** Terms that must all match; each is any of its alternatives (undefined: an empty tsquery, ignored). */
  include: Array<Array<TsNode | undefined>>;
  exclude: Array<Array<TsNode | undefined>>;
  /** Stop-word terms, matched as whole words of the title. */
  titleInclude: RegExp[];
  titleExclude: RegExp[];
}

export interface IndexFilters {
  team: string[];
  category: string[];
  city: string[];
  country: string[];
  workplace: string[];
  type: string[];
  level: number[];
  posted?: number;
  pay?: number;
  currency?: string;
  /** Set when a `near` filter was asked for; null when its city is unknown (matches nothing). */
  near?: { latitude: number; longitude: number; km: number } | null;
}

export type FilterKey = Facet | 'near' | 'pay';

export interface IndexResult {
  total: number;
  ids: number[];
  facets: Record<Facet, Array<{ value: string; count: number }>>;
  /** With no result: how many jobs each filter's removal would give. */
  without: Partial<Record<FilterKey, number>>;
  /** With no result and words: how many jobs the filters alone give. */
  withoutWords: number;
}

const SINGLE = ['team', 'category', 'workplace', 'type', 'level'] as const;
const MULTI = ['city', 'country'] as const;
type SingleFacet = (typeof SINGLE)[number];
type MultiFacet = (typeof MULTI)[number];
const DAY_US = 86_400_000_000;
const NONE = 0xffff;
/**
 * Match sets of phrases and prefixes kept per index state (any change clears them): the costly
 * terms, which many searches share (synonyms turn SDE into four phrases; "engin" unions a dozen
 * words). 125 KB each at a million jobs.
 */
const TERM_CACHE = 256;
/** Codes per combo of the single-valued facets. */
const CODES = SINGLE.length;
/**
 * What choosing how to count a set weighs, in one rough unit: a job counted by its combo, a job
 * counted value by value, a word of a bitset read, a run, a combo's count added to its values,
 * a combo's count gathered into one of its values.
 */
const COST = { member: 4, direct: 12, word: 1, run: 3, combo: 1, spread: 1 };
/** soleCity / soleCountry of a places combo with no city (country), and with several. */
const NO_PLACE = -1;
const MANY_PLACES = -2;
/**
 * Below this many jobs the newest-first order is not kept: scanning the matches is as quick.
 * Above it, choosing a page walks jobs from the newest down and stops once the page is full.
 */
const ORDER_FROM = 4096;
/** Marks a posting whose word occurs once in the job. */
const ONLY = 0x8000;

/** Values of one column and their small integer codes. */
class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();
  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
    }
    return code;
  }
  find(value: string): number | undefined {
    return this.codes.get(value);
  }
}

/** A typed array that grows by doubling. */
export function grown<T extends Uint16Array | Uint32Array | Int32Array | Float64Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const out = new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2, 16));
  out.set(array);
  return out;
}

/** Reads a tsvector's text form: each lexeme with its positions and whether any is a title (weight A) position. */
export function readTsvector(text: string, visit: (lexeme: string, positions: number[], weights: string) => void): void {
  let at = 0;
  const n = text.length;
  while (at < n) {
    while (text.charCodeAt(at) === 32) at++;
    if (at >= n) break;
    if (text[at] !== "'") throw new Error(`Not a tsvector at ${at}`);
    at++;
    let lexeme = '';
    let from = at;
    for (;;) {
      const c = text.charCodeAt(at);
      if (c === 39 /* ' */) {
        if (text.charCodeAt(at + 1) === 39) {
          lexeme += text.slice(from, at + 1);
          at += 2;
          from = at;
          continue;
        }
        lexeme += text.slice(from, at);
        at++;
        break;
      }
      if (c === 92 /* \ */) {
        lexeme += text.slice(from, at) + text[at + 1];
        at += 2;
        from = at;
        continue;
      }
      if (at >= n) throw new Error('Unterminated lexeme');
      at++;
    }
    const positions: number[] = [];
    let weights = '';
    if (text[at] === ':') {
      at++;
      for (;;) {
        let value = 0;
        while (at < n) {
          const c = text.charCodeAt(at);
          if (c < 48 || c > 57) break;
          value = value * 10 + c - 48;
          at++;
        }
        const w = text[at];
        let weight = 'D';
        if (w === 'A' || w === 'B' || w === 'C' || w === 'D') {
          weight = w;
          at++;
        }
        positions.push(value);
        weights += weight;
        if (text[at] !== ',') break;
        at++;
      }
    }
    visit(lexeme, positions, weights);
  }
}

/** Which lexeme ids one word of a query matches (1 at each id): one word, or every word with a prefix. */
type Matcher = Uint8Array;

/**
 * How searches without words are planned: run by run when that is cheaper (the default), or
 * always or never so (tests hold both plans to the same answers).
 */
export type RunsPlan = 'when-cheaper' | 'always' | 'never';

export class SearchIndex {
  constructor(private readonly options: { byRuns?: RunsPlan } = {}) {}

  /** Jobs held (dense numbers 0..size-1, including removed ones until a rebuild). */
  private size = 0;
  private removed = 0;
  private ids = new Int32Array(0);
  private readonly denseOf = new Map<number, number>();
  private live: Bitset = new Int32Array(0);
  private postedAt = new Float64Array(0);
  private closesAt = new Float64Array(0);
  private payMax = new Float64Array(0);
  private payCurrency = new Uint16Array(0);
  private readonly currencies = new Dictionary();
  private titles: string[] = [];
  private readonly single = Object.fromEntries(SINGLE.map((f) => [f, { codes: new Uint16Array(0), dict: new Dictionary(), sets: [] as Bitset[] }])) as Record<
    SingleFacet,
    { codes: Uint16Array; dict: Dictionary; sets: Bitset[] }
  >;
  private readonly multi = Object.fromEntries(
    MULTI.map((f) => [f, { start: new Int32Array(1), values: new Uint16Array(0), dict: new Dictionary(), sets: [] as Bitset[] }]),
  ) as Record<MultiFacet, { start: Int32Array; values: Uint16Array; dict: Dictionary; sets: Bitset[] }>;
  private pointStart = new Int32Array(1);
  private latitudes = new Float64Array(0);
  private longitudes = new Float64Array(0);
  /** Words: id 0 is "no word" in the position sequences. */
  private readonly vocabulary: string[] = [''];
  private readonly lexemeIds = new Map<string, number>();
  private sortedVocabulary: number[] | undefined;
  private postings: Int32Array[] = [new Int32Array(0)];
  private postingLength: number[] = [0];
  /**
   * Beside each posting: the word's first position in that job, with the top bit set when it is
   * its only one. A phrase is then checked at one spot instead of by reading the whole job.
   */
  private postingFirst: Uint16Array[] = [new Uint16Array(0)];
  /** The same for title words only (weight A), so "does the title match" is set arithmetic too. */
  private titlePostings: Int32Array[] = [new Int32Array(0)];
  private titlePostingLength: number[] = [0];
  /** Each job's words by position (1-based), one after another; 0 where no word is. */
  private sequenceStart = new Int32Array(1);
  private sequence: Uint16Array | Uint32Array = new Uint16Array(0);
  private titleEnd = new Uint16Array(0);
  /** Per job: the number of its codes combo and of its places combo, and its posted second (see pack). */
  private codeCombo = new Int32Array(0);
  private placeCombo = new Int32Array(0);
  private postedSecond = new Int32Array(0);
  /**
   * Runs of consecutive dense numbers that share a codes combo, as of the last prepare: run i
   * spans runStart[i] to runStart[i + 1] and has combo runCombo[i]. Jobs are loaded grouped by
   * their codes, so a million jobs make a few thousand runs.
   */
  private runStart = new Int32Array(1);
  private runCombo = new Int32Array(0);
  /**
   * Per run, as of the last prepare: how many of its jobs have each city and each country. A
   * run's jobs never change (an edited job gets a new dense number), so while every job of a run
   * is visible, its places are counted by adding its summary, not job by job.
   */
  private runPlaces: { city: Summary; country: Summary } | undefined;
  /** Per run, how many of its jobs are visible: kept with the visible set it was counted from. */
  private runView: { visible: Bitset; runStart: Int32Array; counts: Int32Array } | undefined;
  private postedCache: { sets: [Bitset, Bitset, Bitset]; from: number; until: number } | undefined;
  /**
   * The combos of the five single-valued facets' codes jobs have, numbered as first met, with
   * each combo's codes (in SINGLE's order, CODES apiece). A million jobs share a few thousand.
   */
  private readonly codeComboIds = new Map<string, number>();
  private comboCodes = new Uint16Array(0);
  /**
   * The combos of city and country lists jobs have: combo p's cities are placeValues from
   * placeStart[p] to placeSplit[p], its countries from there to placeStart[p + 1].
   */
  private readonly placeComboIds = new Map<string, number>();
  private placeStart = new Int32Array(1);
  private placeSplit = new Int32Array(0);
  private placeValues = new Uint16Array(0);
  /** Per places combo, its one city (or country) when it has exactly one: NO_PLACE with none, MANY_PLACES with more. */
  private soleCity = new Int32Array(0);
  private soleCountry = new Int32Array(0);
  /**
   * For each city and each country, the places combos (of those known at the last build) that
   * hold it: a large set's combo counts are gathered into its values, a fixed loop per value,
   * instead of a loop per combo over its list (tens of thousands of combos, most of them of
   * several places, a third of them met by a broad search).
   */
  private placeSpread: { combos: number; entries: number; city: Spread; country: Spread } | undefined;
  /** Jobs per combo, while a set is counted (a search never awaits, so one table serves every search). */
  private codeComboCounts = new Int32Array(0);
  private placeComboCounts = new Int32Array(0);
  private readonly postedCounts = new Int32Array(4);
  /** Jobs with two words at one position (PostgreSQL caps positions at 16,383): their full position lists. */
  private readonly crowded = new Map<number, Map<number, number[]>>();
  private visibleCache: { set: Bitset; until: number; from: number } | undefined;
  private readonly termCache = new Map<string, Bitset>();
  /** Bitsets lent out during one search and returned when it ends (a search never awaits), so searches make little garbage. */
  private readonly pool: Bitset[] = [];
  private readonly lent: Bitset[] = [];
  /** Dense numbers newest first, as of when it was built (see newestOrder). */
  private order: Int32Array | undefined;
  private memberBuffer = new Int32Array(0);
  private listed: { set: Bitset; list: Int32Array } | undefined;
  private termCacheSize = 0;
  private termCacheRemoved = 0;

  /** Jobs in the index. */
  get count(): number {
    return this.size - this.removed;
  }

  /** Share of dense numbers left by removed jobs; a rebuild reclaims them. */
  get waste(): number {
    return this.size === 0 ? 0 : this.removed / this.size;
  }

  has(id: number): boolean {
    return this.denseOf.has(id);
  }

  /** Adds a job, replacing any earlier version of it. */
  upsert(job: IndexJob): void {
    this.delete(job.id);
    const d = this.size++;
    const words = wordsFor(this.size);
    if (words > this.live.length) this.growSets(Math.max(words, this.live.length * 2));
    this.ids = grown(this.ids, this.size);
    this.ids[d] = job.id;
    this.denseOf.set(job.id, d);
    add(this.live, d);
    this.postedAt = grown(this.postedAt, this.size);
    this.postedAt[d] = job.postedAt;
    this.closesAt = grown(this.closesAt, this.size);
    this.closesAt[d] = job.closesAt ?? Infinity;
    this.payMax = grown(this.payMax, this.size);
    this.payMax[d] = job.payMaxAnnual ?? NaN;
    this.payCurrency = grown(this.payCurrency, this.size);
    this.payCurrency[d] = job.payCurrency === null ? NONE : this.currencies.code(job.payCurrency);
    this.titles[d] = job.title;
    const values: Record<SingleFacet, string> = {
      team: job.team,
      category: job.category,
      workplace: job.workplaceType,
      type: job.employmentType,
      level: String(job.level),
    };
    for (const facet of SINGLE) {
      const column = this.single[facet];
      const code = column.dict.code(values[facet]);
      column.codes = grown(column.codes, this.size);
      column.codes[d] = code;
      add((column.sets[code] ??= new Int32Array(this.live.length)), d);
    }
    for (const facet of MULTI) {
      const column = this.multi[facet];
      const list = [...new Set(facet === 'city' ? job.cities : job.countries)];
      const from = column.start[d]!;
      column.values = grown(column.values, from + list.length);
      list.forEach((value, i) => {
        const code = column.dict.code(value);
        column.values[from + i] = code;
        add((column.sets[code] ??= new Int32Array(this.live.length)), d);
      });
      column.start = grown(column.start, this.size + 1);
      column.start[d + 1] = from + list.length;
    }
    const pointsFrom = this.pointStart[d]!;
    this.latitudes = grown(this.latitudes, pointsFrom + job.points.length);
    this.longitudes = grown(this.longitudes, pointsFrom + job.points.length);
    job.points.forEach((p, i) => {
      this.latitudes[pointsFrom + i] = p.latitude;
      this.longitudes[pointsFrom + i] = p.longitude;
    });
    this.pointStart = grown(this.pointStart, this.size + 1);
    this.pointStart[d + 1] = pointsFrom + job.points.length;
    this.addDocument(d, job.doc);
    this.pack(d);
    this.visibleCache = undefined;
    this.postedCache = undefined;
  }

  /** Removes a job (a no-op when absent). */
  delete(id: number): void {
    const d = this.denseOf.get(id);
    if (d === undefined) return;
    this.denseOf.delete(id);
    remove(this.live, d);
    this.crowded.delete(d);
    this.removed++;
    this.visibleCache = undefined;
    this.postedCache = undefined;
  }

  /**
   * Notes job d's combos (of its five facet codes, of its city and country lists) and its posted
   * time in whole seconds since 1970 (they fit an int32 until 2038; later times fall back to the
   * exact comparison). Counting a large set counts jobs per combo, one counter per job, and adds
   * each combo's count to its values at the end.
   */
  private pack(d: number): void {
    const codes = SINGLE.map((f) => this.single[f].codes[d]!);
    const codesKey = codes.join(',');
    let c = this.codeComboIds.get(codesKey);
    if (c === undefined) {
      c = this.codeComboIds.size;
      this.codeComboIds.set(codesKey, c);
      this.comboCodes = grown(this.comboCodes, (c + 1) * CODES);
      this.comboCodes.set(codes, c * CODES);
    }
    const list = (facet: MultiFacet) => this.multi[facet].values.subarray(this.multi[facet].start[d]!, this.multi[facet].start[d + 1]!);
    const [cities, countries] = [list('city'), list('country')];
    const placesKey = `${cities.join(',')}|${countries.join(',')}`;
    let p = this.placeComboIds.get(placesKey);
    if (p === undefined) {
      p = this.placeComboIds.size;
      this.placeComboIds.set(placesKey, p);
      const from = this.placeStart[p]!;
      this.placeValues = grown(this.placeValues, from + cities.length + countries.length);
      this.placeValues.set(cities, from);
      this.placeValues.set(countries, from + cities.length);
      this.placeSplit = grown(this.placeSplit, p + 1);
      this.placeSplit[p] = from + cities.length;
      this.placeStart = grown(this.placeStart, p + 2);
      this.placeStart[p + 1] = from + cities.length + countries.length;
      const sole = (list: Uint16Array) => (list.length === 1 ? list[0]! : list.length === 0 ? NO_PLACE : MANY_PLACES);
      this.soleCity = grown(this.soleCity, p + 1);
      this.soleCity[p] = sole(cities);
      this.soleCountry = grown(this.soleCountry, p + 1);
      this.soleCountry[p] = sole(countries);
    }
    this.codeCombo = grown(this.codeCombo, d + 1);
    this.codeCombo[d] = c;
    this.placeCombo = grown(this.placeCombo, d + 1);
    this.placeCombo[d] = p;
    this.postedSecond = grown(this.postedSecond, d + 1);
    this.postedSecond[d] = Math.min(Math.floor(this.postedAt[d]! / 1e6), 0x7fffffff);
  }

  private growSets(words: number): void {
    this.live = resized(this.live, words);
    for (const facet of SINGLE) this.single[facet].sets = this.single[facet].sets.map((s) => resized(s, words));
    for (const facet of MULTI) this.multi[facet].sets = this.multi[facet].sets.map((s) => resized(s, words));
  }

  private lexemeId(lexeme: string): number {
    let id = this.lexemeIds.get(lexeme);
    if (id === undefined) {
      id = this.vocabulary.length;
      this.vocabulary.push(lexeme);
      this.lexemeIds.set(lexeme, id);
      this.postings.push(new Int32Array(4));
      this.postingLength.push(0);
      this.postingFirst.push(new Uint16Array(4));
      this.titlePostings.push(new Int32Array(0));
      this.titlePostingLength.push(0);
      this.sortedVocabulary = undefined;
      if (id > 0xfffe && this.sequence instanceof Uint16Array) this.sequence = Uint32Array.from(this.sequence);
    }
    return id;
  }

  private addDocument(d: number, doc: string): void {
    const entries: Array<{ id: number; positions: number[] }> = [];
    let length = 0;
    let titleEnd = 0;
    readTsvector(doc, (lexeme, positions, weights) => {
      const id = this.lexemeId(lexeme);
      entries.push({ id, positions });
      for (let i = 0; i < positions.length; i++) {
        if (positions[i]! > length) length = positions[i]!;
        if (weights[i] === 'A' && positions[i]! > titleEnd) titleEnd = positions[i]!;
      }
      const at = this.postingLength[id]!;
      append(this.postings, this.postingLength, id, d);
      this.postingFirst[id] = grown(this.postingFirst[id]!, at + 1);
      this.postingFirst[id]![at] = Math.min(positions[0] ?? 0, 0x3fff) | (positions.length === 1 ? ONLY : 0);
      if (weights.includes('A')) append(this.titlePostings, this.titlePostingLength, id, d);
    });
    const from = this.sequenceStart[d]!;
    this.sequence = grown(this.sequence, from + length);
    this.sequence.fill(0, from, from + length);
    let crowded: Map<number, number[]> | undefined;
    for (const { id, positions } of entries) {
      for (const p of positions) {
        const slot = from + p - 1;
        if (this.sequence[slot] !== 0 && this.sequence[slot] !== id) crowded = new Map();
        this.sequence[slot] = id;
      }
    }
    if (crowded) {
      for (const { id, positions } of entries) crowded.set(id, positions);
      this.crowded.set(d, crowded);
    }
    this.sequenceStart = grown(this.sequenceStart, this.size + 1);
    this.sequenceStart[d + 1] = from + length;
    this.titleEnd = grown(this.titleEnd, this.size);
    this.titleEnd[d] = titleEnd;
  }

  // ---- matching ----

  private matcher(node: { lexeme: string; prefix: boolean }): Matcher {
    const ids = new Uint8Array(this.vocabulary.length);
    if (node.prefix) for (const id of this.prefixIds(node.lexeme)) ids[id] = 1;
    else {
      const id = this.lexemeIds.get(node.lexeme);
      if (id !== undefined) ids[id] = 1;
    }
    return ids;
  }

  /** Every word starting with `prefix`: a range of the sorted vocabulary. */
  private prefixIds(prefix: string): number[] {
    const sorted = (this.sortedVocabulary ??= this.vocabulary
      .map((_, id) => id)
      .slice(1)
      .sort((a, b) => (this.vocabulary[a]! < this.vocabulary[b]! ? -1 : 1)));
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.vocabulary[sorted[mid]!]! < prefix) low = mid + 1;
      else high = mid;
    }
    const out: number[] = [];
    for (let i = low; i < sorted.length && this.vocabulary[sorted[i]!]!.startsWith(prefix); i++) out.push(sorted[i]!);
    return out;
  }

  /** The jobs having any word the matcher accepts, anywhere or in the title. */
  private postingSet(m: Matcher, title: boolean): Bitset {
    const set = this.take();
    const [lists, lengths] = title ? [this.titlePostings, this.titlePostingLength] : [this.postings, this.postingLength];
    for (let id = 1; id < m.length; id++) {
      if (m[id] !== 1) continue;
      const list = lists[id]!;
      const n = lengths[id]!;
      for (let i = 0; i < n; i++) {
        const d = list[i]!;
        set[d >>> 5]! |= 1 << (d & 31);
      }
    }
    return set;
  }

  /**
   * The jobs whose document (or title: positions up to its end) matches `node`, not yet limited
   * to visible jobs.
   */
  private documents(node: TsNode, title: boolean): Bitset {
    switch (node.kind) {
      case 'lexeme':
        // A prefix unions the lists of many words ("engin": engine, engineer, engineering, …).
        return node.prefix
          ? this.remembered(`${title ? 't' : 'd'}${node.lexeme}*`, () => this.postingSet(this.matcher(node), title))
          : this.postingSet(this.matcher(node), title);
      case 'and':
        return andInto(this.documents(node.left, title), this.documents(node.right, title));
      case 'or':
        return orInto(this.documents(node.left, title), this.documents(node.right, title));
      case 'not':
        return andNotInto(this.take(this.live), this.documents(node.operand, title));
      case 'phrase': {
        const chain = phraseChain(node);
        if (!chain) throw new UnsupportedQueryError('a phrase of something other than words');
        return this.remembered(`${title ? 't' : 'd'}${JSON.stringify(chain)}`, () => this.phraseSet(chain, title));
      }
    }
  }

  /** A term's set from the term cache, or computed and kept there (any change to the index clears it). */
  private remembered(key: string, compute: () => Bitset): Bitset {
    if (this.termCacheSize !== this.size || this.termCacheRemoved !== this.removed) {
      this.termCache.clear();
      this.termCacheSize = this.size;
      this.termCacheRemoved = this.removed;
    }
    const known = this.termCache.get(key);
    if (known) {
      this.termCache.delete(key);
      this.termCache.set(key, known);
      return this.take(known);
    }
    const found = compute();
    this.termCache.set(key, found.slice());
    if (this.termCache.size > TERM_CACHE) this.termCache.delete(this.termCache.keys().next().value!);
    return found;
  }

  /** The jobs (or titles) where a chain of words occurs as a phrase. */
  private phraseSet(chain: ChainLink[], title: boolean): Bitset {
    const links = chain.map((link) => ({ matcher: this.matcher(link), offset: link.offset }));
    const single = links.map((l) => (l.matcher.indexOf(1) === l.matcher.lastIndexOf(1) ? l.matcher.indexOf(1) : -1));
    if (!title && single.every((id) => id > 0)) return this.phraseDocuments(links, single);
    const candidates = this.postingSet(links[0]!.matcher, title);
    for (const link of links.slice(1)) andInto(candidates, this.postingSet(link.matcher, title));
    forEach(candidates, (d) => {
      if (!this.chainAt(d, links, title ? this.titleEnd[d]! : Infinity)) remove(candidates, d);
    });
    return candidates;
  }

  /**
   * A phrase of plain words over whole documents: walks the words' posting lists together (the
   * shortest leads), and where a job has them all, a word that occurs once pins the one spot the
   * phrase could start; only jobs where every word repeats are read position by position.
   */
  private phraseDocuments(links: Array<{ matcher: Matcher; offset: number }>, ids: number[]): Bitset {
    const out = this.take();
    const order = links.map((_, i) => i).sort((a, b) => this.postingLength[ids[a]!]! - this.postingLength[ids[b]!]!);
    const lists = order.map((i) => this.postings[ids[i]!]!);
    const firsts = order.map((i) => this.postingFirst[ids[i]!]!);
    const lengths = order.map((i) => this.postingLength[ids[i]!]!);
    const offsets = order.map((i) => links[i]!.offset);
    const words = order.map((i) => ids[i]!);
    const at = new Int32Array(order.length);
    const seq = this.sequence;
    const lead = lists[0]!;
    next: for (let i = 0; i < lengths[0]!; i++) {
      const d = lead[i]!;
      at[0] = i;
      for (let k = 1; k < lists.length; k++) {
        const list = lists[k]!;
        let j = at[k]!;
        while (j < lengths[k]! && list[j]! < d) j++;
        at[k] = j;
        if (j === lengths[k] || list[j] !== d) continue next;
      }
      // The phrase cannot start before any word's first position minus its offset.
      let start = -1;
      let earliest = 1;
      for (let k = 0; k < lists.length && start !== -2; k++) {
        const first = firsts[k]![at[k]!]!;
        const s = (first & 0x3fff) - offsets[k]!;
        if (s > earliest) earliest = s;
        if ((first & ONLY) !== 0) start = start === -1 || start === s ? s : -2;
      }
      if (this.crowded.size > 0 && this.crowded.has(d)) {
        if (this.chainAt(d, links, Infinity)) add(out, d);
        continue;
      }
      if (start === -2) continue;
      if (start === -1) {
        if (this.chainAt(d, links, Infinity, earliest)) add(out, d);
        continue;
      }
      const from = this.sequenceStart[d]! - 1;
      const length = this.sequenceStart[d + 1]! - from - 1;
      let k = 0;
      while (k < words.length) {
        const p = start + offsets[k]!;
        if (p < 1 || p > length || seq[from + p] !== words[k]) break;
        k++;
      }
      if (k === words.length) add(out, d);
    }
    return out;
  }

  /** Whether job d has the chain's words at their offsets, all at positions up to `end`. */
  private chainAt(d: number, links: Array<{ matcher: Matcher; offset: number }>, end: number, earliest = 1): boolean {
    const span = links[links.length - 1]!.offset;
    const crowded = this.crowded.size > 0 ? this.crowded.get(d) : undefined;
    if (crowded) {
      const at = (m: Matcher, p: number) => [...crowded].some(([id, positions]) => m[id] === 1 && positions.includes(p));
      for (const [id, positions] of crowded) {
        if (links[0]!.matcher[id] !== 1) continue;
        for (const p of positions) if (p + span <= end && links.every((l) => at(l.matcher, p + l.offset))) return true;
      }
      return false;
    }
    const from = this.sequenceStart[d]! - 1;
    const last = Math.min(end, this.sequenceStart[d + 1]! - from - 1) - span;
    const seq = this.sequence;
    const first = links[0]!.matcher;
    for (let p = earliest; p <= last; p++) {
      if (first[seq[from + p]!] !== 1) continue;
      let i = 1;
      while (i < links.length && links[i]!.matcher[seq[from + p + links[i]!.offset]!] === 1) i++;
      if (i === links.length) return true;
    }
    return false;
  }

  // ---- searching ----

  /** A bitset for this search: empty, or a copy of `from`. */
  private take(from?: Bitset): Bitset {
    const words = this.live.length;
    let set = this.pool.pop();
    if (!set || set.length !== words) set = new Int32Array(words);
    if (from) {
      set.set(from.length > words ? from.subarray(0, words) : from);
      if (from.length < words) set.fill(0, from.length);
    } else {
      set.fill(0);
    }
    this.lent.push(set);
    return set;
  }

  /** A bitset for this search whose words the caller writes, every one. */
  private blank(): Bitset {
    let set = this.pool.pop();
    if (!set || set.length !== this.live.length) set = new Int32Array(this.live.length);
    this.lent.push(set);
    return set;
  }

  private giveBack(): void {
    this.listed = undefined;
    for (const set of this.lent) if (set.length === this.live.length && this.pool.length < 64) this.pool.push(set);
    this.lent.length = 0;
  }

  /** Jobs open and visible at `now`: posted, not yet closed. Kept until the next posting or closing time passes. */
  private visible(now: number): Bitset {
    const cached = this.visibleCache;
    if (cached && now < cached.until && now >= cached.from) return cached.set;
    const set = new Int32Array(this.live.length);
    let until = Infinity;
    forEach(this.live, (d) => {
      const posted = this.postedAt[d]!;
      const closes = this.closesAt[d]!;
      if (posted <= now && closes > now) add(set, d);
      if (posted > now && posted < until) until = posted;
      if (closes > now && closes < until) until = closes;
    });
    this.visibleCache = { set, until, from: now };
    return set;
  }

  /**
   * The jobs that match a query's words, among `among`, and how many when that came out of the
   * last pass (included terms only: each intersection counts as it goes, so a one-word search
   * reads the visible set and the word's set once, not to copy, intersect and count).
   */
  private matching(query: IndexQuery, among: Bitset): [Bitset, number | undefined] {
    const termSet = (alternatives: Array<TsNode | undefined>): Bitset | undefined => {
      const present = alternatives.filter((a): a is TsNode => a !== undefined);
      if (present.length === 0) return undefined;
      return present.map((a) => this.documents(a, false)).reduce((acc, s) => orInto(acc, s));
    };
    const include = query.include.map(termSet);
    const exclude = query.exclude.map(termSet);
    const indexed = query.include.length + query.exclude.length;
    // PostgreSQL drops empty parts of `a && !!b`; a query left with nothing at all matches nothing.
    if (indexed > 0 && [...include, ...exclude].every((s) => s === undefined)) return [this.take(), 0];
    const out = include.some((s) => s !== undefined) ? this.blank() : this.take(among);
    let members: number | undefined;
    let from = among;
    for (const s of include) {
      if (!s) continue;
      members = andCount(out, from, s);
      from = out;
    }
    for (const s of exclude) {
      if (!s) continue;
      andNotInto(out, s);
      members = undefined;
    }
    if (query.titleInclude.length || query.titleExclude.length) {
      forEach(out, (d) => {
        const title = this.titles[d]!;
        if (!query.titleInclude.every((r) => r.test(title)) || query.titleExclude.some((r) => r.test(title))) remove(out, d);
      });
      members = undefined;
    }
    return [out, members];
  }

  /** The jobs each filter allows. Only read: a filter of one value is that value's own set. */
  private filterSets(filters: IndexFilters, now: number): Partial<Record<FilterKey, Bitset>> {
    const union = (sets: Array<Bitset | undefined>) =>
      sets.length === 1 && sets[0] ? sets[0] : sets.reduce<Bitset>((acc, s) => (s ? orInto(acc, s) : acc), this.take());
    const out: Partial<Record<FilterKey, Bitset>> = {};
    const singles: Record<SingleFacet, string[]> = {
      team: filters.team,
      category: filters.category,
      workplace: filters.workplace,
      type: filters.type,
      level: filters.level.map(String),
    };
    for (const facet of SINGLE) {
      const column = this.single[facet];
      const values = singles[facet];
      if (values.length) out[facet] = union(values.map((v) => column.dict.find(v)).map((code) => (code === undefined ? undefined : column.sets[code])));
    }
    for (const facet of MULTI) {
      const column = this.multi[facet];
      const values = facet === 'city' ? filters.city : filters.country;
      if (values.length) out[facet] = union(values.map((v) => column.dict.find(v)).map((code) => (code === undefined ? undefined : column.sets[code])));
    }
    const scan = (test: (d: number) => boolean) => {
      const set = this.take();
      forEach(this.live, (d) => test(d) && add(set, d));
      return set;
    };
    if (filters.posted !== undefined) {
      const since = now - filters.posted * DAY_US;
      out.posted = scan((d) => this.postedAt[d]! >= since);
    }
    if (filters.pay !== undefined) {
      const pay = filters.pay;
      const currency = filters.currency === undefined ? undefined : (this.currencies.find(filters.currency) ?? -1);
      out.pay = scan((d) => this.payMax[d]! >= pay && (currency === undefined || this.payCurrency[d] === currency));
    }
    if (filters.near !== undefined) {
      const near = filters.near;
      out.near = near === null ? this.take() : scan((d) => this.withinKm(d, near));
    }
    return out;
  }

  private withinKm(d: number, near: { latitude: number; longitude: number; km: number }): boolean {
    for (let i = this.pointStart[d]!; i < this.pointStart[d + 1]!; i++) {
      if (haversineKm(near.latitude, near.longitude, this.latitudes[i]!, this.longitudes[i]!) <= near.km) return true;
    }
    return false;
  }

  /**
   * One search: the page of ids (title matches first when ranked, then newest), the total,
   * each facet over every filter but its own, and, when nothing matches, what relaxing each
   * filter (or the words) would give. The same answers as `runSearch` in SQL, which stays the
   * fallback while the index loads.
   */
  search(
    query: IndexQuery | undefined,
    filters: IndexFilters,
    options: { now: number; ranked: boolean; limit: number; offset: number; facets: boolean; facetLimit: number },
  ): IndexResult {
    try {
      const visible = this.visible(options.now);
      if (!query && this.byRunsFits(filters)) return this.searchByRuns(filters, visible, options);
      const [base, counted] = query ? this.matching(query, visible) : [visible, undefined];
      const sets = this.filterSets(filters, options.now);
      const keys = Object.keys(sets) as FilterKey[];
      // The jobs every filter but one allows (only read), and how many.
      const allBut = (except: FilterKey | undefined, from: Bitset = base): [Bitset, number] => {
        const others = keys.filter((key) => key !== except);
        if (others.length === 0) return [from, from === base && counted !== undefined ? counted : count(from)];
        const out = this.blank();
        let members = andCount(out, from, sets[others[0]!]!);
        for (const key of others.slice(1)) members = andCount(out, out, sets[key]!);
        return [out, members];
      };
      const [matches, total] = allBut(undefined);
      const ids = this.page(matches, total, query, options);
      const empty = { team: [], category: [], city: [], country: [], workplace: [], type: [], level: [], posted: [] };
      const facets: IndexResult['facets'] = options.facets ? this.facetCounts(matches, total, keys, allBut, options) : empty;
      const without: IndexResult['without'] = {};
      let withoutWords = 0;
      if (total === 0) {
        for (const key of keys) without[key] = allBut(key)[1];
        if (query) withoutWords = allBut(undefined, visible)[1];
      }
      return { total, ids, facets, without, withoutWords };
    } finally {
      this.giveBack();
    }
  }

  /**
   * Whether a search without words is answered run by run: its filters are all on the five
   * single-valued facets (so each run passes or fails whole), and the runs and jobs added since
   * are fewer to visit than the words of a set are to read, a pass for each filter and facet.
   */
  private byRunsFits(filters: IndexFilters): boolean {
    if (filters.city.length || filters.country.length || filters.posted !== undefined || filters.pay !== undefined || filters.near !== undefined) return false;
    const plan = this.options.byRuns ?? 'when-cheaper';
    if (plan !== 'when-cheaper') return plan === 'always';
    const runs = this.runCombo.length;
    const later = this.size - this.runStart[runs]!;
    const filtered = SINGLE.filter((f) => (f === 'level' ? filters.level.length : filters[f].length) > 0).length;
    return runs * COST.run + later * COST.direct < this.live.length * COST.word * (2 * filtered + 2);
  }

  /**
   * A search without words whose filters are on single-valued facets, answered run by run: a run
   * passes every filter or fails some, whole, so its visible jobs count for the total and every
   * facet, or (failing just one filter) for that filter's own facet, at once; a passing run's
   * places add up from its summary while all its jobs are visible. Jobs added since the runs were
   * built count as runs of one. The same answers as the general search (the reference tests
   * hold both to a plain reference).
   */
  private searchByRuns(filters: IndexFilters, visible: Bitset, options: { now: number; ranked: boolean; limit: number; offset: number; facets: boolean; facetLimit: number }): IndexResult {
    const active: number[] = [];
    const allowed: Uint8Array[] = [];
    SINGLE.forEach((facet, column) => {
      const values = facet === 'level' ? filters.level.map(String) : filters[facet];
      if (values.length === 0) return;
      const dict = this.single[facet].dict;
      const ok = new Uint8Array(dict.values.length);
      for (const value of values) {
        const code = dict.find(value);
        if (code !== undefined) ok[code] = 1;
      }
      active.push(column);
      allowed.push(ok);
    });
    const single = Object.fromEntries(SINGLE.map((f) => [f, new Int32Array(this.single[f].dict.values.length)])) as Record<SingleFacet, Int32Array>;
    const multi = Object.fromEntries(MULTI.map((f) => [f, new Int32Array(this.multi[f].dict.values.length)])) as Record<MultiFacet, Int32Array>;
    const targets = SINGLE.map((f) => single[f]);
    const missed = new Int32Array(CODES);
    const matches = this.take();
    const { comboCodes, runStart, runCombo, placeCombo, placeStart, placeSplit, placeValues } = this;
    const places = options.facets ? this.runPlaces : undefined;
    const { city, country } = multi;
    /** Adds (or takes away, with -1) the places of job d's combo. */
    const placesOf = (d: number, by = 1) => {
      const p = placeCombo[d]!;
      for (let i = placeStart[p]!, end = placeSplit[p]!; i < end; i++) city[placeValues[i]!]! += by;
      for (let i = placeSplit[p]!, end = placeStart[p + 1]!; i < end; i++) country[placeValues[i]!]! += by;
    };
    /** Counts n visible jobs of codes combo c; whether they pass every filter. */
    const counted = (c: number, n: number): boolean => {
      const at = c * CODES;
      let failed = -1;
      for (let k = 0; k < active.length; k++) {
        if (allowed[k]![comboCodes[at + active[k]!]!] === 1) continue;
        if (failed !== -1) return false;
        failed = active[k]!;
      }
      if (failed !== -1) {
        targets[failed]![comboCodes[at + failed]!]! += n;
        missed[failed]! += n;
        return false;
      }
      for (let i = 0; i < CODES; i++) targets[i]![comboCodes[at + i]!]! += n;
      return true;
    };
    let total = 0;
    let firstWord = matches.length;
    let lastWord = -1;
    const runs = runCombo.length;
    const inRuns = runs > 0 ? this.visibleInRuns(visible) : new Int32Array(0);
    for (let r = 0; r < runs; r++) {
      const n = inRuns[r]!;
      if (n === 0 || !counted(runCombo[r]!, n)) continue;
      total += n;
      const from = runStart[r]!;
      const to = runStart[r + 1]!;
      // The run's visible jobs into the matches, word by word; its places: while most of its jobs
      // are visible, its summary less its hidden jobs (closed, not yet posted, removed), else job by job.
      const hidden = to - from - n;
      const bySummary = places !== undefined && hidden < n;
      if (bySummary) {
        for (let i = places.city.start[r]!, end = places.city.start[r + 1]!; i < end; i++) city[places.city.codes[i]!]! += places.city.counts[i]!;
        for (let i = places.country.start[r]!, end = places.country.start[r + 1]!; i < end; i++) country[places.country.codes[i]!]! += places.country.counts[i]!;
      }
      const first = from >>> 5;
      const last = (to - 1) >>> 5;
      for (let w = first; w <= last; w++) {
        let mask = -1;
        if (w === first) mask &= -1 << (from & 31);
        if (w === last) mask &= -1 >>> (31 - ((to - 1) & 31));
        const shown = visible[w]! & mask;
        matches[w]! |= shown;
        if (!places) continue;
        // The jobs counted one by one: the hidden ones taken away from the summary, or the shown ones.
        let x = bySummary ? ~visible[w]! & mask : shown;
        if (bySummary && hidden === 0) x = 0;
        while (x !== 0) {
          const low = x & -x;
          x ^= low;
          placesOf((w << 5) + 31 - Math.clz32(low), bySummary ? -1 : 1);
        }
      }
      if (first < firstWord) firstWord = first;
      if (last > lastWord) lastWord = last;
    }
    for (let d = runStart[runs]!; d < this.size; d++) {
      if ((visible[d >>> 5]! & (1 << (d & 31))) === 0 || !counted(this.codeCombo[d]!, 1)) continue;
      total++;
      add(matches, d);
      if (firstWord > d >>> 5) firstWord = d >>> 5;
      lastWord = d >>> 5;
      if (options.facets) placesOf(d);
    }
    const ids = this.page(matches, total, undefined, options);
    const without: IndexResult['without'] = {};
    if (total === 0) for (const column of active) without[SINGLE[column]!] = missed[column]!;
    if (!options.facets) {
      const empty = { team: [], category: [], city: [], country: [], workplace: [], type: [], level: [], posted: [] };
      return { total, ids, facets: empty, without, withoutWords: 0 };
    }
    const posted = new Int32Array(3);
    if (total > 0) this.countPosted(matches, total, posted, options.now, firstWord, lastWord + 1);
    return { total, ids, facets: this.facetRows(single, multi, posted, options.facetLimit), without, withoutWords: 0 };
  }

  private page(matches: Bitset, total: number, query: IndexQuery | undefined, options: { ranked: boolean; limit: number; offset: number }): number[] {
    const want = options.offset + options.limit;
    if (want === 0) return [];
    const hits = options.ranked && query ? this.titleMatches(query) : undefined;
    let top: number[];
    if (hits) {
      const titled = andCount(hits, hits, matches);
      top = this.newest(hits, titled, want);
      if (top.length < want) top = top.concat(this.newest(andNotInto(this.take(matches), hits), total - titled, want - top.length));
    } else {
      top = this.newest(matches, total, want);
    }
    return top.slice(options.offset).map((d) => this.ids[d]!);
  }

  /**
   * The `k` newest jobs of a set (posted time, then id, both descending), in order. When the set
   * holds many jobs, walking the newest-first order and keeping the members met stops after
   * about k × jobs / members steps; otherwise, and for jobs added since the order was built,
   * the members are scanned.
   */
  private newest(set: Bitset, members: number, k: number): number[] {
    const order = this.newestOrder();
    if (!order) return this.newestScan(set, k, 0);
    if (members === 0) return [];
    // A step of the walk costs about a quarter of a member's scan; give up on the walk past that.
    const steps = Math.min(order.length, 4 * members);
    if ((k * order.length) / members < steps / 2) {
      const found = this.newestWalk(set, k, order, steps);
      if (found) {
        const tail = this.newestScan(set, k, order.length);
        return tail.length === 0 ? found : this.newestOf(found.concat(tail), k);
      }
    }
    return this.newestScan(set, k, 0);
  }

  /** The first `k` members of the set in `order`, or undefined when `steps` steps do not find them all. */
  private newestWalk(set: Bitset, k: number, order: Int32Array, steps: number): number[] | undefined {
    const out: number[] = [];
    for (let i = 0; i < steps; i++) {
      const d = order[i]!;
      if ((set[d >>> 5]! & (1 << (d & 31))) === 0) continue;
      out.push(d);
      if (out.length === k) return out;
    }
    return steps === order.length ? out : undefined;
  }

  /** The `k` newest of these jobs, in order. */
  private newestOf(jobs: number[], k: number): number[] {
    const postedAt = this.postedAt;
    const ids = this.ids;
    return jobs.sort((a, b) => postedAt[b]! - postedAt[a]! || ids[b]! - ids[a]!).slice(0, k);
  }

  /**
   * Every job held when the order was last built, newest first (posted time, then id); built
   * once the index is large, and again when a quarter of it was added since.
   */
  private newestOrder(): Int32Array | undefined {
    if (this.size < ORDER_FROM) return undefined;
    if (!this.order || this.size - this.order.length > this.size / 4) this.prepare();
    return this.order;
  }

  /**
   * Builds what searching a large index reads (a loaded index does so before it serves searches):
   * the newest-first order, and the runs of jobs that share a codes combo.
   */
  prepare(): void {
    const postedAt = this.postedAt;
    const ids = this.ids;
    const order = new Int32Array(this.size);
    for (let d = 0; d < order.length; d++) order[d] = d;
    order.sort((a, b) => postedAt[b]! - postedAt[a]! || ids[b]! - ids[a]!);
    this.order = order;
    const starts = [0];
    const combos: number[] = [];
    for (let d = 0; d < this.size; d++) {
      if (d > 0 && this.codeCombo[d] === this.codeCombo[d - 1]) continue;
      if (d > 0) starts.push(d);
      combos.push(this.codeCombo[d]!);
    }
    if (this.size > 0) starts.push(this.size);
    this.runStart = Int32Array.from(starts);
    this.runCombo = Int32Array.from(combos);
    const places = this.placeComboIds.size;
    const spread = (values: number, from: Int32Array, to: Int32Array): Spread => {
      const start = new Int32Array(values + 1);
      for (let p = 0; p < places; p++) for (let i = from[p]!; i < to[p]!; i++) start[this.placeValues[i]! + 1]!++;
      for (let v = 0; v < values; v++) start[v + 1]! += start[v]!;
      const holders = new Int32Array(start[values]!);
      const next = start.slice(0, values);
      for (let p = 0; p < places; p++) for (let i = from[p]!; i < to[p]!; i++) holders[next[this.placeValues[i]!]!++] = p;
      return { start, combos: holders };
    };
    const city = spread(this.multi.city.dict.values.length, this.placeStart, this.placeSplit);
    const country = spread(this.multi.country.dict.values.length, this.placeSplit, this.placeStart.subarray(1));
    this.placeSpread = { combos: places, entries: city.combos.length + country.combos.length, city, country };
    this.runPlaces = {
      city: this.summarize(this.multi.city.dict.values.length, this.placeStart, this.placeSplit),
      country: this.summarize(this.multi.country.dict.values.length, this.placeSplit, this.placeStart.subarray(1)),
    };
    this.runView = undefined;
  }

  /** Per run, how many of its jobs hold each value of a places list (places combo p's values: placeValues from[p] to to[p]). */
  private summarize(values: number, from: Int32Array, to: Int32Array): Summary {
    const runs = this.runCombo.length;
    const start = new Int32Array(runs + 1);
    let codes = new Uint16Array(runs * 4);
    let counts = new Int32Array(runs * 4);
    const tally = new Int32Array(values);
    const touched = new Int32Array(values);
    const { placeCombo, placeValues, runStart } = this;
    let n = 0;
    for (let r = 0; r < runs; r++) {
      let distinct = 0;
      for (let d = runStart[r]!, end = runStart[r + 1]!; d < end; d++) {
        const p = placeCombo[d]!;
        for (let i = from[p]!, last = to[p]!; i < last; i++) {
          const v = placeValues[i]!;
          if (tally[v] === 0) touched[distinct++] = v;
          tally[v]!++;
        }
      }
      codes = grown(codes, n + distinct);
      counts = grown(counts, n + distinct);
      for (let i = 0; i < distinct; i++) {
        const v = touched[i]!;
        codes[n] = v;
        counts[n++] = tally[v]!;
        tally[v] = 0;
      }
      start[r + 1] = n;
    }
    return { start, codes: codes.slice(0, n), counts: counts.slice(0, n) };
  }

  /** How many jobs of each run are visible (counted once per visible set and build). */
  private visibleInRuns(visible: Bitset): Int32Array {
    const view = this.runView;
    if (view && view.visible === visible && view.runStart === this.runStart) return view.counts;
    const start = this.runStart;
    const counts = new Int32Array(this.runCombo.length);
    for (let r = 0; r < counts.length; r++) counts[r] = countRange(visible, start[r]!, start[r + 1]!);
    this.runView = { visible, runStart: start, counts };
    return counts;
  }

  /** The `k` newest members of the set from dense number `from` on, by scanning them. */
  private newestScan(set: Bitset, k: number, from: number): number[] {
    const posted = new Float64Array(k);
    const chosen = new Int32Array(k);
    const postedAt = this.postedAt;
    const ids = this.ids;
    let n = 0;
    for (let w = from >>> 5; w < set.length; w++) {
      let x = w === from >>> 5 ? set[w]! & (-1 << (from & 31)) : set[w]!;
      while (x !== 0) {
        const low = x & -x;
        x ^= low;
        const d = (w << 5) + 31 - Math.clz32(low);
        const p = postedAt[d]!;
        const id = ids[d]!;
        if (n === k) {
          const worst = posted[k - 1]!;
          if (p < worst || (p === worst && id < ids[chosen[k - 1]!]!)) continue;
        }
        let i = n < k ? n++ : k - 1;
        while (i > 0 && (posted[i - 1]! < p || (posted[i - 1] === p && ids[chosen[i - 1]!]! < id))) {
          posted[i] = posted[i - 1]!;
          chosen[i] = chosen[i - 1]!;
          i--;
        }
        posted[i] = p;
        chosen[i] = d;
      }
    }
    return Array.from(chosen.subarray(0, n));
  }

  /** Jobs whose title matches every included term (PostgreSQL: title_doc @@ the included terms); undefined without terms. */
  private titleMatches(query: IndexQuery): Bitset | undefined {
    if (query.include.length === 0) return undefined;
    let out: Bitset | undefined;
    for (const alternatives of query.include) {
      const present = alternatives.filter((a): a is TsNode => a !== undefined);
      if (present.length === 0) continue;
      const term = present.map((a) => this.documents(a, true)).reduce((acc, s) => orInto(acc, s));
      out = out ? andInto(out, term) : term;
    }
    return out ?? this.take();
  }

  private facetCounts(
    matches: Bitset,
    members: number,
    keys: FilterKey[],
    allBut: (except: FilterKey) => [Bitset, number],
    options: { now: number; facetLimit: number },
  ): IndexResult['facets'] {
    const single = Object.fromEntries(SINGLE.map((f) => [f, new Int32Array(this.single[f].dict.values.length)])) as Record<SingleFacet, Int32Array>;
    const multi = Object.fromEntries(MULTI.map((f) => [f, new Int32Array(this.multi[f].dict.values.length)])) as Record<MultiFacet, Int32Array>;
    const posted = new Int32Array(3);
    this.countCodes(matches, members, single, SINGLE);
    this.countPlaces(matches, members, multi, MULTI);
    this.countPosted(matches, members, posted, options.now);
    for (const facet of keys) {
      if (facet === 'near' || facet === 'pay') continue;
      const [set, setMembers] = allBut(facet);
      if (facet === 'posted') {
        posted.fill(0);
        this.countPosted(set, setMembers, posted, options.now);
      } else if (facet === 'city' || facet === 'country') {
        multi[facet].fill(0);
        this.countPlaces(set, setMembers, multi, [facet]);
      } else {
        single[facet].fill(0);
        this.countCodes(set, setMembers, single, [facet]);
      }
    }
    return this.facetRows(single, multi, posted, options.facetLimit);
  }

  /** The facets' rows from their counts: non-zero, most first (then by value), at most `facetLimit` (every team). */
  private facetRows(single: Record<SingleFacet, Int32Array>, multi: Record<MultiFacet, Int32Array>, posted: Int32Array, facetLimit: number): IndexResult['facets'] {
    const rows = (dict: Dictionary, into: Int32Array, limit: number) =>
      dict.values
        .map((value, code) => ({ value, count: into[code]! }))
        .filter((r) => r.count > 0)
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
        .slice(0, limit);
    return {
      team: rows(this.single.team.dict, single.team, Infinity),
      category: rows(this.single.category.dict, single.category, facetLimit),
      city: rows(this.multi.city.dict, multi.city, facetLimit),
      country: rows(this.multi.country.dict, multi.country, facetLimit),
      workplace: rows(this.single.workplace.dict, single.workplace, facetLimit),
      type: rows(this.single.type.dict, single.type, facetLimit),
      level: rows(this.single.level.dict, single.level, facetLimit),
      posted: ['1', '7', '30'].map((value, i) => ({ value, count: posted[i]! })),
    };
  }

  /**
   * Adds one to `counts` at the combo of each job of `set` from dense number `from` on, read from
   * `combos`. The set is read in order, so the combos are too: the processor fetches them ahead.
   * (Copying a thousand combos out before counting them, to have many reads under way at once,
   * measured slower: 1.0 against 0.6 ms for 190,000 jobs of a million.)
   */
  private tally(set: Bitset, from: number, combos: Int32Array, counts: Int32Array): void {
    for (let w = from >>> 5; w < set.length; w++) {
      let x = w === from >>> 5 ? set[w]! & (-1 << (from & 31)) : set[w]!;
      while (x !== 0) {
        const low = x & -x;
        x ^= low;
        counts[combos[(w << 5) + 31 - Math.clz32(low)]!]!++;
      }
    }
  }

  /**
   * The members of a small set, in order: listed once and kept while the same set is counted
   * again (for its codes, places and posted time); forgotten when the search ends.
   */
  private membersOf(set: Bitset, members: number): Int32Array {
    if (this.listed?.set === set) return this.listed.list;
    if (this.memberBuffer.length < members) this.memberBuffer = new Int32Array(members * 2);
    const buffer = this.memberBuffer;
    let k = 0;
    for (let w = 0; w < set.length; w++) {
      let x = set[w]!;
      while (x !== 0) {
        const low = x & -x;
        x ^= low;
        buffer[k++] = (w << 5) + 31 - Math.clz32(low);
      }
    }
    const list = buffer.subarray(0, k);
    this.listed = { set, list };
    return list;
  }

  /** A table of one counter per combo, zeroed (a search never awaits, so one table serves every search). */
  private comboTable(kind: 'code' | 'place'): Int32Array {
    const combos = kind === 'code' ? this.codeComboIds.size : this.placeComboIds.size;
    let table = kind === 'code' ? this.codeComboCounts : this.placeComboCounts;
    if (table.length < combos) {
      table = new Int32Array(combos * 2);
      if (kind === 'code') this.codeComboCounts = table;
      else this.placeComboCounts = table;
    }
    return table.fill(0, 0, combos);
  }

  /**
   * Adds the values of `facets` of the jobs of `set` (of `members` jobs) to the counts. A small
   * set is counted job by job. A large one is counted by combo, then each combo's count is added
   * to its values: jobs within the runs of the last build add each run's members at once (a
   * pass over the set's words), the others one at a time.
   */
  private countCodes(set: Bitset, members: number, counts: Record<SingleFacet, Int32Array>, facets: readonly SingleFacet[]): void {
    const combos = this.codeComboIds.size;
    const comboCodes = this.comboCodes;
    const columns = facets.map((f) => SINGLE.indexOf(f));
    const targets = facets.map((f) => counts[f]);
    const runs = this.runCombo.length;
    const runsEnd = this.runStart[runs]!;
    const byJob = members * COST.member;
    const byRuns = set.length * COST.word + runs * COST.run + combos * COST.combo;
    if (members * COST.direct < Math.min(byJob + combos * COST.combo, byRuns)) {
      const codeCombo = this.codeCombo;
      for (const d of this.membersOf(set, members)) {
        const at = codeCombo[d]! * CODES;
        for (let i = 0; i < columns.length; i++) targets[i]![comboCodes[at + columns[i]!]!]!++;
      }
      return;
    }
    const table = this.comboTable('code');
    if (byRuns < byJob) {
      const start = this.runStart;
      const combo = this.runCombo;
      for (let r = 0; r < runs; r++) table[combo[r]!]! += countRange(set, start[r]!, start[r + 1]!);
      this.tally(set, runsEnd, this.codeCombo, table);
    } else {
      this.tally(set, 0, this.codeCombo, table);
    }
    if (facets.length === CODES) {
      // Every facet (a search's matches): written out, as a loop per combo costs twice as much.
      const [a, b, c, d, e] = SINGLE.map((f) => counts[f]) as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
      for (let combo = 0, at = 0; combo < combos; combo++, at += CODES) {
        const n = table[combo]!;
        a[comboCodes[at]!]! += n;
        b[comboCodes[at + 1]!]! += n;
        c[comboCodes[at + 2]!]! += n;
        d[comboCodes[at + 3]!]! += n;
        e[comboCodes[at + 4]!]! += n;
      }
      return;
    }
    for (let c = 0; c < combos; c++) {
      const n = table[c]!;
      if (n === 0) continue;
      const at = c * CODES;
      for (let i = 0; i < columns.length; i++) targets[i]![comboCodes[at + columns[i]!]!]! += n;
    }
  }

  /**
   * As countCodes, for cities and countries (by the combos of jobs' place lists; no runs). A
   * large set is counted one counter per job at its places combo; the combos known at the last
   * build are then gathered into each value, and those added since are added to theirs.
   */
  private countPlaces(set: Bitset, members: number, counts: Record<MultiFacet, Int32Array>, facets: readonly MultiFacet[]): void {
    const combos = this.placeComboIds.size;
    const { placeStart, placeSplit, placeValues } = this;
    const city = facets.includes('city') ? counts.city : undefined;
    const country = facets.includes('country') ? counts.country : undefined;
    const spread = this.placeSpread;
    const built = spread?.combos ?? 0;
    const spreadCost = (spread?.entries ?? 0) * COST.spread + (combos - built) * COST.combo;
    if (members * COST.direct < members * COST.member + spreadCost) {
      const placeCombo = this.placeCombo;
      for (const d of this.membersOf(set, members)) {
        const p = placeCombo[d]!;
        if (city) for (let i = placeStart[p]!, end = placeSplit[p]!; i < end; i++) city[placeValues[i]!]!++;
        if (country) for (let i = placeSplit[p]!, end = placeStart[p + 1]!; i < end; i++) country[placeValues[i]!]!++;
      }
      return;
    }
    const table = this.comboTable('place');
    this.tally(set, 0, this.placeCombo, table);
    if (spread) {
      if (city) gather(spread.city, table, city);
      if (country) gather(spread.country, table, country);
    }
    // Combos added since the last build; most are one city and one country, added without reading their lists.
    const { soleCity, soleCountry } = this;
    for (let p = built; p < combos; p++) {
      const n = table[p]!;
      if (n === 0) continue;
      if (city) {
        const one = soleCity[p]!;
        if (one >= 0) city[one]! += n;
        else if (one === MANY_PLACES) for (let i = placeStart[p]!, end = placeSplit[p]!; i < end; i++) city[placeValues[i]!]! += n;
      }
      if (country) {
        const one = soleCountry[p]!;
        if (one >= 0) country[one]! += n;
        else if (one === MANY_PLACES) for (let i = placeSplit[p]!, end = placeStart[p + 1]!; i < end; i++) country[placeValues[i]!]! += n;
      }
    }
  }

  /**
   * Adds the jobs of `set` posted within 1, 7 and 30 days of `now` to `posted`: a small set job
   * by job, a large one as its intersections with the jobs posted since each threshold, over the
   * words its members lie in (fromWord to toWord).
   */
  private countPosted(set: Bitset, members: number, posted: Int32Array, now: number, fromWord = 0, toWord = set.length): void {
    if (members * COST.member < (toWord - fromWord) * COST.word) {
      const edges = postedEdges(now);
      const buckets = this.postedCounts.fill(0);
      const { postedSecond, postedAt } = this;
      for (const d of this.membersOf(set, members)) buckets[postedBucket(edges, postedSecond[d]!, postedAt, d)]!++;
      posted[0]! += buckets[3]!;
      posted[1]! += buckets[3]! + buckets[2]!;
      posted[2]! += buckets[3]! + buckets[2]! + buckets[1]!;
      return;
    }
    const [day, week, month] = this.postedSince(now);
    let inDay = 0;
    let inWeek = 0;
    let inMonth = 0;
    // Each threshold's jobs include the next one's. No branch on empty words: whether a word of a
    // broad set has a job of the week is a coin toss the processor mispredicts (0.26 ms against
    // 0.18 ms for a million jobs, three popcounts a word).
    for (let w = fromWord; w < toWord; w++) {
      const x = set[w]! & month[w]!;
      const y = x & week[w]!;
      inMonth += popcount32(x);
      inWeek += popcount32(y);
      inDay += popcount32(y & day[w]!);
    }
    posted[0]! += inDay;
    posted[1]! += inWeek;
    posted[2]! += inMonth;
  }

  /**
   * The jobs posted within 1, 7 and 30 days of `now` (posted at or after now minus the span),
   * kept until the first of them leaves its span or the index changes.
   */
  private postedSince(now: number): [Bitset, Bitset, Bitset] {
    const cached = this.postedCache;
    if (cached && now >= cached.from && now <= cached.until) return cached.sets;
    const spans = [1, 7, 30].map((days) => days * DAY_US);
    const sets = spans.map(() => new Int32Array(this.live.length)) as [Bitset, Bitset, Bitset];
    const postedAt = this.postedAt;
    let until = Infinity;
    forEach(this.live, (d) => {
      const at = postedAt[d]!;
      for (let i = 0; i < 3; i++) {
        if (at < now - spans[i]!) continue;
        add(sets[i]!, d);
        if (at + spans[i]! < until) until = at + spans[i]!;
      }
    });
    this.postedCache = { sets, from: now, until };
    return sets;
  }
}

/**
 * The thresholds of the posted facet (1, 7 and 30 days before `now`), exact and in whole
 * seconds: a job's posted second decides its bucket unless it is a threshold's own second.
 */
function postedEdges(now: number) {
  const exact = [1, 7, 30].map((days) => now - days * DAY_US) as [number, number, number];
  const [day, week, month] = exact.map((t) => Math.floor(t / 1e6)) as [number, number, number];
  return { day, week, month, exact };
}

/** How many thresholds (0 to 3) a job posted in `second` is past: 3 within a day. */
function postedBucket(edges: ReturnType<typeof postedEdges>, second: number, postedAt: Float64Array, d: number): number {
  if (second !== edges.day && second !== edges.week && second !== edges.month) return +(second > edges.day) + +(second > edges.week) + +(second > edges.month);
  const at = postedAt[d]!;
  return +(at >= edges.exact[0]) + +(at >= edges.exact[1]) + +(at >= edges.exact[2]);
}

/** Per run r, the values met in its jobs and how many jobs hold each: `codes[i]`, `counts[i]` for i from start[r] to start[r + 1]. */
interface Summary {
  start: Int32Array;
  codes: Uint16Array;
  counts: Int32Array;
}

/** For each value of a facet, the combos that hold it: `combos[start[v]]` to `combos[start[v + 1]]`. */
interface Spread {
  start: Int32Array;
  combos: Int32Array;
}

/** Adds to each value's count the counts of the combos that hold it (values added since the spread was built have none there). */
function gather(spread: Spread, comboCounts: Int32Array, into: Int32Array): void {
  const { start, combos } = spread;
  const values = Math.min(start.length - 1, into.length);
  for (let v = 0; v < values; v++) {
    let n = 0;
    for (let i = start[v]!, end = start[v + 1]!; i < end; i++) n += comboCounts[combos[i]!]!;
    into[v]! += n;
  }
}

/** A query the index cannot answer exactly; the caller runs it in SQL instead. */
export class UnsupportedQueryError extends Error {}

/** Appends job d to the posting list of word `id` (lists grow by doubling). */
function append(lists: Int32Array[], lengths: number[], id: number, d: number): void {
  let list = lists[id]!;
  const n = lengths[id]!;
  if (n === list.length) lists[id] = list = grown(list, n + 1);
  list[n] = d;
  lengths[id] = n + 1;
}

/** Great-circle distance in km, the same formula as the SQL fallback. */
function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(a));
}
