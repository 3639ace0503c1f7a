// The public job catalogue held in memory for search: an inverted index of the words PostgreSQL
// put in each job's search document (with their positions, for phrases), and the filter and
// facet columns as typed arrays. A search costs time in proportion to the jobs its words match,
// with a tiny constant: counting eight facets over 200,000 matches is a loop over typed arrays,
// not 200,000 rows read from disk. Pure: no I/O. `search-index.sync.ts` fills it from the
// database and keeps it current; PostgreSQL stays the source of truth and stems the words.
import { add, andInto, andNotInto, count, forEach, intersectionSize, orInto, remove, resized, wordsFor, type Bitset } from './bitset.ts';
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
/**
 * Place codes below this fit a row's 8-bit slots. The index gives its codes to the most common
 * places first (preferPlaces), so nearly every job's places fit.
 */
const SLOT_CODES = 0xfc;
/**
 * Slot i of a row with fewer than four places holds EMPTY_SLOT + i: a count thrown away, a
 * different one per slot, so that no counter is raised twice for one job.
 */
const EMPTY_SLOT = 0xfc;
/** The first city slot of a row whose places did not fit (more than four, or a code past SLOT_CODES): counting reads the lists. */
const PLACES_APART = EMPTY_SLOT + 1;
/** Words per job in the packed facet rows (see pack). */
const ROW = 4;
/** A row whose facet codes did not fit the packed layout: counting reads the columns for that job. */
const UNPACKED = -1;
/** Jobs whose rows are copied to the block at a time before they are counted (see gather). */
const BLOCK = 1024;
/** Words per job in a gathered block: the dense number, then the row. */
const STRIDE = ROW + 1;
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
function grown<T extends Uint16Array | Uint32Array | Int32Array | Float64Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const out = new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2, 16));
  out.set(array);
  return out;
}

/** Reads a tsvector's text form: each lexeme with its positions and whether any is a title (weight A) position. */
function readTsvector(text: string, visit: (lexeme: string, positions: number[], weights: string) => void): void {
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

export class SearchIndex {
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
  /** Facet values per job, ROW words each (see pack). */
  private rows = new Int32Array(0);
  /** Jobs with two words at one position (PostgreSQL caps positions at 16,383): their full position lists. */
  private readonly crowded = new Map<number, Map<number, number[]>>();
  private visibleCache: { set: Bitset; until: number; from: number } | undefined;
  private readonly termCache = new Map<string, Bitset>();
  /** Bitsets lent out during one search and returned when it ends (a search never awaits), so searches make little garbage. */
  private readonly pool: Bitset[] = [];
  private readonly lent: Bitset[] = [];
  /** Dense numbers newest first, as of when it was built (see newestOrder). */
  private order: Int32Array | undefined;
  /** Counts of the places in rows' 8-bit slots, kept from search to search (a search never awaits) and added to the place counts at the end. */
  private readonly slotCounts: Record<MultiFacet, Int32Array> = { city: new Int32Array(256), country: new Int32Array(256) };
  /** Rows copied out by gather, BLOCK jobs at a time. */
  private readonly block = new Int32Array(BLOCK * STRIDE);
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
  }

  /**
   * Copies job d's facet values into one 16-byte row, so counting reads one row per job instead
   * of one cache line per column (at a million jobs the columns do not fit in the CPU's caches):
   *   0: team (6 bits) | workplace (2) | type (4) | level (4) | category (16), or UNPACKED
   *   1: posted, whole seconds since 1970 (they fit an int32 until 2038; later times fall back to the exact comparison)
   *   2: up to four cities, 8 bits each (EMPTY_SLOT + i in an empty slot i), or PLACES_APART in the first
   *   3: up to four countries, likewise
   */
  private pack(d: number): void {
    this.rows = grown(this.rows, (d + 1) * ROW);
    const [team, category, workplace, type, level] = SINGLE.map((f) => this.single[f].codes[d]!) as [number, number, number, number, number];
    const list = (facet: MultiFacet) => Array.from(this.multi[facet].values.subarray(this.multi[facet].start[d]!, this.multi[facet].start[d + 1]!));
    const [cities, countries] = [list('city'), list('country')];
    const at = d * ROW;
    const fits = team < 63 && workplace < 4 && type < 16 && level < 16 && category < 0xffff;
    this.rows[at] = fits ? team | (workplace << 6) | (type << 8) | (level << 12) | (category << 16) : UNPACKED;
    this.rows[at + 1] = Math.min(Math.floor(this.postedAt[d]! / 1e6), 0x7fffffff);
    const slots = (codes: number[]) =>
      codes.length > 4 || codes.some((code) => code >= SLOT_CODES) ? undefined : [0, 1, 2, 3].reduce((word, i) => word | ((codes[i] ?? EMPTY_SLOT + i) << (8 * i)), 0);
    const [citySlots, countrySlots] = [slots(cities), slots(countries)];
    this.rows[at + 2] = citySlots === undefined || countrySlots === undefined ? PLACES_APART : citySlots;
    this.rows[at + 3] = countrySlots ?? 0;
  }

  /**
   * Gives the first place codes to these places (the most common first), so that their jobs'
   * rows hold their places. Call on an empty index.
   */
  preferPlaces(places: Record<MultiFacet, string[]>): void {
    for (const facet of MULTI) for (const value of places[facet]) this.multi[facet].dict.code(value);
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

  private giveBack(): void {
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

  /** The jobs that match a query's words, among `among`. */
  private matching(query: IndexQuery, among: Bitset): Bitset {
    const out = this.take(among);
    const termSet = (alternatives: Array<TsNode | undefined>): Bitset | undefined => {
      const present = alternatives.filter((a): a is TsNode => a !== undefined);
      if (present.length === 0) return undefined;
      return present.map((a) => this.documents(a, false)).reduce((acc, s) => orInto(acc, s));
    };
    const include = query.include.map(termSet);
    const exclude = query.exclude.map(termSet);
    const indexed = query.include.length + query.exclude.length;
    // PostgreSQL drops empty parts of `a && !!b`; a query left with nothing at all matches nothing.
    if (indexed > 0 && [...include, ...exclude].every((s) => s === undefined)) return this.take();
    for (const s of include) if (s) andInto(out, s);
    for (const s of exclude) if (s) andNotInto(out, s);
    if (query.titleInclude.length || query.titleExclude.length) {
      forEach(out, (d) => {
        const title = this.titles[d]!;
        if (!query.titleInclude.every((r) => r.test(title)) || query.titleExclude.some((r) => r.test(title))) remove(out, d);
      });
    }
    return out;
  }

  private filterSets(filters: IndexFilters, now: number): Partial<Record<FilterKey, Bitset>> {
    const union = (sets: Array<Bitset | undefined>) => sets.reduce<Bitset>((acc, s) => (s ? orInto(acc, s) : acc), this.take());
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
      const base = query ? this.matching(query, visible) : visible;
      const sets = this.filterSets(filters, options.now);
      const keys = Object.keys(sets) as FilterKey[];
      const allBut = (except: FilterKey | undefined, from: Bitset = base) => {
        const out = this.take(from);
        for (const key of keys) if (key !== except) andInto(out, sets[key]!);
        return out;
      };
      const matches = allBut(undefined);
      const total = count(matches);
      const ids = this.page(matches, query, options);
      const empty = { team: [], category: [], city: [], country: [], workplace: [], type: [], level: [], posted: [] };
      const facets: IndexResult['facets'] = options.facets ? this.facetCounts(matches, keys, allBut, options) : empty;
      const without: IndexResult['without'] = {};
      let withoutWords = 0;
      if (total === 0) {
        for (const key of keys) without[key] = count(allBut(key));
        if (query) withoutWords = count(allBut(undefined, visible));
      }
      return { total, ids, facets, without, withoutWords };
    } finally {
      this.giveBack();
    }
  }

  private page(matches: Bitset, query: IndexQuery | undefined, options: { ranked: boolean; limit: number; offset: number }): number[] {
    const want = options.offset + options.limit;
    if (want === 0) return [];
    const hits = options.ranked && query ? this.titleMatches(query) : undefined;
    let top: number[];
    if (hits) {
      andInto(hits, matches);
      top = this.newest(hits, want);
      if (top.length < want) top = top.concat(this.newest(andNotInto(this.take(matches), hits), want - top.length));
    } else {
      top = this.newest(matches, want);
    }
    return top.slice(options.offset).map((d) => this.ids[d]!);
  }

  /**
   * The `k` newest jobs of a set (posted time, then id, both descending), in order. When the set
   * holds many jobs, walking the newest-first order and keeping the members met stops after
   * about k × jobs / members steps; otherwise, and for jobs added since the order was built,
   * the members are scanned.
   */
  private newest(set: Bitset, k: number): number[] {
    const order = this.newestOrder();
    if (!order) return this.newestScan(set, k, 0);
    const members = count(set);
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
    if (!this.order || this.size - this.order.length > this.size / 4) this.buildOrder();
    return this.order;
  }

  /** Builds the newest-first order now (a loaded index does so before it serves searches). */
  buildOrder(): void {
    const postedAt = this.postedAt;
    const ids = this.ids;
    const order = new Int32Array(this.size);
    for (let d = 0; d < order.length; d++) order[d] = d;
    order.sort((a, b) => postedAt[b]! - postedAt[a]! || ids[b]! - ids[a]!);
    this.order = order;
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
    keys: FilterKey[],
    allBut: (except: FilterKey) => Bitset,
    options: { now: number; facetLimit: number },
  ): IndexResult['facets'] {
    const single = Object.fromEntries(SINGLE.map((f) => [f, new Int32Array(this.single[f].dict.values.length)])) as Record<SingleFacet, Int32Array>;
    const multi = Object.fromEntries(MULTI.map((f) => [f, new Int32Array(this.multi[f].dict.values.length)])) as Record<MultiFacet, Int32Array>;
    const posted = new Int32Array(3);
    const into = { single, multi, posted };
    this.countAll(matches, into, options.now);
    for (const facet of keys) {
      if (facet === 'near' || facet === 'pay') continue;
      const counts = facet === 'posted' ? posted : facet === 'city' || facet === 'country' ? multi[facet] : single[facet];
      counts.fill(0);
      this.countOne(allBut(facet), facet, into, options.now);
    }
    const rows = (dict: Dictionary, into: Int32Array, limit: number) =>
      dict.values
        .map((value, code) => ({ value, count: into[code]! }))
        .filter((r) => r.count > 0)
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
        .slice(0, limit);
    return {
      team: rows(this.single.team.dict, single.team, Infinity),
      category: rows(this.single.category.dict, single.category, options.facetLimit),
      city: rows(this.multi.city.dict, multi.city, options.facetLimit),
      country: rows(this.multi.country.dict, multi.country, options.facetLimit),
      workplace: rows(this.single.workplace.dict, single.workplace, options.facetLimit),
      type: rows(this.single.type.dict, single.type, options.facetLimit),
      level: rows(this.single.level.dict, single.level, options.facetLimit),
      posted: ['1', '7', '30'].map((value, i) => ({ value, count: posted[i]! })),
    };
  }

  /**
   * Copies the rows of the jobs of `set` into the block, BLOCK jobs at a time (each as its dense
   * number and its row), and hands each full block to `visit`. Reading rows apart from counting
   * them keeps many memory reads under way at once: with the counting in the same loop, each
   * job's row is waited for in turn, and at a million jobs most of them come from main memory.
   */
  private gather(set: Bitset, visit: (block: Int32Array, end: number) => void): void {
    const block = this.block;
    const rows = this.rows;
    let k = 0;
    for (let w = 0; w < set.length; w++) {
      let x = set[w]!;
      while (x !== 0) {
        const low = x & -x;
        x ^= low;
        const d = (w << 5) + 31 - Math.clz32(low);
        const at = d << 2;
        block[k] = d;
        block[k + 1] = rows[at]!;
        block[k + 2] = rows[at + 1]!;
        block[k + 3] = rows[at + 2]!;
        block[k + 4] = rows[at + 3]!;
        k += STRIDE;
        if (k === block.length) {
          visit(block, k);
          k = 0;
        }
      }
    }
    if (k > 0) visit(block, k);
  }

  /** Adds every facet value of every job in `set` to the counts: one pass over the packed rows. */
  private countAll(set: Bitset, into: FacetCounts, now: number): void {
    const [team, category, workplace, type, level] = SINGLE.map((f) => into.single[f]) as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
    const city = into.multi.city;
    const country = into.multi.country;
    const posted = into.posted;
    const thresholds = [1, 7, 30].map((days) => now - days * DAY_US) as [number, number, number];
    // Whole seconds decide the posted buckets; only a job in the very second of a threshold reads its exact time.
    const [day, week, month] = thresholds.map((t) => Math.floor(t / 1e6)) as [number, number, number];
    const postedAt = this.postedAt;
    const { start: cityStart, values: cityValues } = this.multi.city;
    const { start: countryStart, values: countryValues } = this.multi.country;
    const city8 = this.slotCounts.city.fill(0);
    const country8 = this.slotCounts.country.fill(0);
    this.gather(set, (block, end) => {
      for (let k = 0; k < end; k += STRIDE) {
        const codes = block[k + 1]!;
        if (codes !== UNPACKED) {
          team[codes & 0x3f]!++;
          workplace[(codes >>> 6) & 0x3]!++;
          type[(codes >>> 8) & 0xf]!++;
          level[(codes >>> 12) & 0xf]!++;
          category[codes >>> 16]!++;
        } else {
          this.countCodes(block[k]!, into);
        }
        const cities = block[k + 3]!;
        if ((cities & 0xff) !== PLACES_APART) {
          const countries = block[k + 4]!;
          city8[cities & 0xff]!++;
          city8[(cities >>> 8) & 0xff]!++;
          city8[(cities >>> 16) & 0xff]!++;
          city8[cities >>> 24]!++;
          country8[countries & 0xff]!++;
          country8[(countries >>> 8) & 0xff]!++;
          country8[(countries >>> 16) & 0xff]!++;
          country8[countries >>> 24]!++;
        } else {
          const d = block[k]!;
          for (let i = cityStart[d]!, last = cityStart[d + 1]!; i < last; i++) city[cityValues[i]!]!++;
          for (let i = countryStart[d]!, last = countryStart[d + 1]!; i < last; i++) country[countryValues[i]!]!++;
        }
        const second = block[k + 2]!;
        if (second !== day && second !== week && second !== month) {
          posted[0]! += +(second > day);
          posted[1]! += +(second > week);
          posted[2]! += +(second > month);
        } else {
          const exact = postedAt[block[k]!]!;
          posted[0]! += +(exact >= thresholds[0]);
          posted[1]! += +(exact >= thresholds[1]);
          posted[2]! += +(exact >= thresholds[2]);
        }
      }
    });
    addSlotCounts(city8, city);
    addSlotCounts(country8, country);
  }

  /** countAll's single-valued facets for one job whose codes did not fit its row: from the columns. */
  private countCodes(d: number, into: FacetCounts): void {
    for (const facet of SINGLE) into.single[facet][this.single[facet].codes[d]!]!++;
  }

  /**
   * Adds the values of one facet of every job in `set` to its counts. A facet with few values
   * against many jobs counts each value as the size of the set's intersection with that
   * value's jobs, reading the bitsets in order; otherwise the jobs' rows are read.
   */
  private countOne(set: Bitset, facet: Facet, into: FacetCounts, now: number): void {
    if (facet !== 'posted') {
      const column = facet === 'city' || facet === 'country' ? this.multi[facet] : this.single[facet];
      const counts = facet === 'city' || facet === 'country' ? into.multi[facet] : into.single[facet];
      // Intersecting costs a pass over the set's words per value; reading rows, about four such words per job.
      if (column.sets.length * set.length < 4 * count(set)) {
        column.sets.forEach((values, code) => {
          counts[code] = intersectionSize(set, values);
        });
        return;
      }
    }
    if (facet === 'posted') {
      const [day, week, month] = [1, 7, 30].map((days) => now - days * DAY_US) as [number, number, number];
      forEach(set, (d) => {
        const at = this.postedAt[d]!;
        if (at >= month) into.posted[2]!++;
        if (at >= week) into.posted[1]!++;
        if (at >= day) into.posted[0]!++;
      });
      return;
    }
    if (facet === 'city' || facet === 'country') {
      const { start, values } = this.multi[facet];
      const counts = into.multi[facet];
      const word = facet === 'city' ? 3 : 4;
      const slots = this.slotCounts[facet].fill(0);
      this.gather(set, (block, end) => {
        for (let k = 0; k < end; k += STRIDE) {
          if ((block[k + 3]! & 0xff) === PLACES_APART) {
            const d = block[k]!;
            for (let i = start[d]!, last = start[d + 1]!; i < last; i++) counts[values[i]!]!++;
            continue;
          }
          const four = block[k + word]!;
          slots[four & 0xff]!++;
          slots[(four >>> 8) & 0xff]!++;
          slots[(four >>> 16) & 0xff]!++;
          slots[four >>> 24]!++;
        }
      });
      addSlotCounts(slots, counts);
      return;
    }
    const codes = this.single[facet].codes;
    const counts = into.single[facet];
    const [shift, mask] = FIELDS[facet];
    this.gather(set, (block, end) => {
      for (let k = 0; k < end; k += STRIDE) {
        const packed = block[k + 1]!;
        counts[packed === UNPACKED ? codes[block[k]!]! : (packed >>> shift) & mask]!++;
      }
    });
  }
}

/** Adds the counts of places held in rows' slots to the counts by place code. */
function addSlotCounts(slots: Int32Array, counts: Int32Array): void {
  for (let code = 0, end = Math.min(SLOT_CODES, counts.length); code < end; code++) counts[code]! += slots[code]!;
}

/** Where each single-valued facet sits in word 0 of a packed row: shift, mask. */
const FIELDS: Record<SingleFacet, [number, number]> = {
  team: [0, 0x3f],
  workplace: [6, 0x3],
  type: [8, 0xf],
  level: [12, 0xf],
  category: [16, 0xffff],
};

type FacetCounts = { single: Record<SingleFacet, Int32Array>; multi: Record<MultiFacet, Int32Array>; posted: Int32Array };

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
