import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { grown, readTsvector } from './search-index/search-index.ts';

// A job's search document (title weighted A, category and team B, description and
// qualifications C; see searchDocSql in jobs.bulk.ts) built in Node for a bulk import, so that
// PostgreSQL does not parse and stem a million descriptions: that was more than half the CPU of
// an import. It must equal what PostgreSQL computes, byte for byte, so no rule of the text
// parser is copied here. Whitespace ends every token of PostgreSQL's default parser but an HTML
// tag, so a text without "<" parses as the run of its whitespace-separated chunks, each read
// as the parser reads it after whitespace (or, for a text's first chunk, at the start: "~home"
// is a path there and a word after a space). Each distinct chunk in each of those two places is
// parsed once, by PostgreSQL's own to_tsvector between sentinel words, and remembered. A job
// whose texts fall outside what this covers gets no document here, and the import has
// PostgreSQL compute it.

/** The three texts of a job's document, in the order and with the weights searchDocSql gives them. */
export type DocumentTexts = readonly [title: string, categoryAndTeam: string, text: string];

/** One chunk as PostgreSQL parses it: its lexemes (by id), each at an offset from 1, and how many positions it takes. */
interface ChunkParse {
  lexemes: Int32Array;
  offsets: Int32Array;
  width: number;
}

const WEIGHTS = [3, 2, 1]; // A, B, C as WordEntryPos stores them
const CHUNK_SPLIT = /[ \t\n\r]+/;
/** Positions and counts far below PostgreSQL's limits (16,383 and 255), so its clamping never applies here. */
const MAX_POSITION = 16_000;
const MAX_POSITIONS_PER_LEXEME = 250;
/** A chunk longer than this is left to PostgreSQL (a word of 2,047 bytes or more is dropped there with a notice). */
const MAX_CHUNK = 512;
/** A word no chunk's parse can confuse with its own: next to a space, it is always a token of its own. */
const SENTINEL = 'qzx';
/** Marks a text's first chunk in the memory of chunks: NUL never occurs in PostgreSQL text. */
const AT_START = '\u0000';

/** PostgreSQL's `to_tsvector('english', text)` of each text, in its text form, in order. */
export type TextParser = (texts: string[]) => Promise<string[]>;

/** A TextParser asking `db`, one statement for all the texts. */
export function parseTextsWith(db: Db): TextParser {
  return async (texts) => {
    const result = (await db.execute(sql`
      select to_tsvector('english', t)::text as doc
      from json_array_elements_text(${JSON.stringify(texts)}::json) with ordinality as x(t, n) order by n`)) as unknown as { rows: Array<{ doc: string }> };
    return result.rows.map((r) => r.doc);
  };
}

/**
 * Builds search documents batch by batch, asking the database only for chunks it has not seen
 * (one statement per batch). Past `limit` chunks remembered, it starts afresh at the next batch.
 */
export class SearchDocuments {
  private readonly chunks = new Map<string, ChunkParse>();
  /** Every lexeme seen: its id, and by id its UTF-8 bytes. */
  private readonly ids = new Map<string, number>();
  private readonly bytes: Buffer[] = [];
  /** Lexeme ids in PostgreSQL's order (UTF-8 bytes compared), and each id's place in it. */
  private order: number[] = [];
  private rank = new Int32Array(1024);
  /** Per lexeme id while one job is assembled: how many positions, and where its positions go. */
  private counts = new Int32Array(1024);
  private starts = new Int32Array(1024);
  /** Each position of the job being assembled, in text order: lexeme id and position with weight. */
  private occurrenceIds = new Int32Array(4096);
  private occurrencePositions = new Int32Array(4096);

  /** `parse` is PostgreSQL's parser (parseTextsWith); past `limit` chunks remembered, the memory starts afresh. */
  constructor(
    private readonly parse: TextParser,
    private readonly limit = 300_000,
  ) {}

  /** Each job's document in PostgreSQL's binary format of a tsvector, or null where PostgreSQL must compute it. */
  async build(jobs: readonly DocumentTexts[]): Promise<Array<Buffer | null>> {
    // Forget between batches only: a batch relies on every chunk it found known.
    if (this.chunks.size > this.limit) this.chunks.clear();
    const unknown = new Set<string>();
    // Each text as its chunks' parses; a chunk not known yet stands as its key until it is learned.
    const split = jobs.map((texts) => {
      // A lone surrogate reaches the database as U+FFFD, which the database then parses itself.
      if (texts.some((t) => t.includes('<') || !t.isWellFormed())) return null;
      const parts: Array<Array<ChunkParse | string>> = [];
      for (const text of texts) {
        const chunks = text.split(CHUNK_SPLIT);
        const parses: Array<ChunkParse | string> = [];
        for (let i = 0; i < chunks.length; i++) {
          const chunk = chunks[i]!;
          if (chunk.length > MAX_CHUNK) return null;
          if (!chunk) continue;
          const key = i === 0 ? AT_START + chunk : chunk;
          const parse = this.chunks.get(key);
          if (parse) parses.push(parse);
          else {
            unknown.add(key);
            parses.push(key);
          }
        }
        parts.push(parses);
      }
      return parts;
    });
    if (unknown.size) await this.learn([...unknown]);
    return split.map((parts) => (parts ? this.assemble(parts) : null));
  }

  /**
   * Parses chunks with PostgreSQL, each after a sentinel and a space (a first chunk: at the
   * start) and before a space and a sentinel, whose position tells how many the chunk takes.
   */
  private async learn(chunks: string[]): Promise<void> {
    const docs = await this.parse(chunks.map((c) => (c.startsWith(AT_START) ? `${c.slice(1)} ${SENTINEL}` : `${SENTINEL} ${c} ${SENTINEL}`)));
    const known = this.bytes.length;
    docs.forEach((doc, i) => {
      const shift = chunks[i]!.startsWith(AT_START) ? 0 : 1;
      const lexemes: number[] = [];
      const offsets: number[] = [];
      let width = 0;
      readTsvector(doc, (lexeme, positions) => {
        if (lexeme === SENTINEL) {
          width = positions.pop()! - 1 - shift;
          if (shift) positions.shift();
        }
        for (const at of positions) {
          lexemes.push(this.lexemeId(lexeme));
          offsets.push(at - shift);
        }
      });
      this.chunks.set(chunks[i]!, { lexemes: Int32Array.from(lexemes), offsets: Int32Array.from(offsets), width });
    });
    if (this.bytes.length > known) this.place(known);
  }

  /** Puts the lexemes from id `from` on into the order: sorted among themselves, then merged in. */
  private place(from: number): void {
    const { bytes } = this;
    const added = Array.from({ length: this.bytes.length - from }, (_, i) => from + i).sort((a, b) => Buffer.compare(bytes[a]!, bytes[b]!));
    const merged: number[] = [];
    let i = 0;
    for (const id of this.order) {
      while (i < added.length && Buffer.compare(bytes[added[i]!]!, bytes[id]!) < 0) merged.push(added[i++]!);
      merged.push(id);
    }
    while (i < added.length) merged.push(added[i++]!);
    this.order = merged;
    if (this.rank.length < merged.length) this.rank = grown(this.rank, merged.length);
    merged.forEach((id, at) => (this.rank[id] = at));
  }

  private lexemeId(lexeme: string): number {
    let id = this.ids.get(lexeme);
    if (id === undefined) {
      id = this.bytes.length;
      this.ids.set(lexeme, id);
      this.bytes.push(Buffer.from(lexeme));
      if (id >= this.counts.length) {
        this.counts = grown(this.counts, id + 1);
        this.starts = grown(this.starts, id + 1);
      }
    }
    return id;
  }

  /**
   * One job's document: each text's lexemes at their positions (PostgreSQL's to_tsvector), then
   * the texts joined as `setweight(a) || setweight(b) || setweight(c)` joins them, each text's
   * positions after the highest position before it; then encoded as tsvectorsend does.
   */
  private assemble(parts: Array<Array<ChunkParse | string>>): Buffer | null {
    const { counts, starts } = this;
    const touched: number[] = [];
    let occurrences = 0;
    let highest = 0;
    let fits = true;
    for (let p = 0; p < parts.length && fits; p++) {
      const weight = WEIGHTS[p]! << 14;
      let width = 0;
      let top = 0;
      for (const known of parts[p]!) {
        const parse = typeof known === 'string' ? this.chunks.get(known)! : known;
        const n = parse.lexemes.length;
        if (occurrences + n > this.occurrenceIds.length) {
          this.occurrenceIds = grown(this.occurrenceIds, occurrences + n);
          this.occurrencePositions = grown(this.occurrencePositions, occurrences + n);
        }
        for (let i = 0; i < n; i++) {
          const id = parse.lexemes[i]!;
          const at = highest + width + parse.offsets[i]!;
          if (at > top) top = at;
          if (counts[id] === 0) touched.push(id);
          counts[id] = counts[id]! + 1;
          this.occurrenceIds[occurrences] = id;
          this.occurrencePositions[occurrences++] = weight | at;
        }
        width += parse.width;
      }
      if (highest + width > MAX_POSITION) fits = false;
      if (top > highest) highest = top;
    }
    let size = 4;
    for (const id of touched) {
      if (counts[id]! > MAX_POSITIONS_PER_LEXEME) fits = false;
      size += this.bytes[id]!.length + 3 + 2 * counts[id]!;
    }
    if (!fits) {
      for (const id of touched) counts[id] = 0;
      return null;
    }
    const { bytes, rank, order } = this;
    const ranks = new Int32Array(touched.length);
    for (let i = 0; i < touched.length; i++) ranks[i] = rank[touched[i]!]!;
    ranks.sort();
    const out = Buffer.allocUnsafe(size);
    let at = out.writeInt32BE(touched.length, 0);
    for (let i = 0; i < ranks.length; i++) {
      const id = order[ranks[i]!]!;
      const lexeme = bytes[id]!;
      at += lexeme.copy(out, at);
      const count = counts[id]!;
      out[at] = 0;
      out[at + 1] = count >> 8;
      out[at + 2] = count & 0xff;
      starts[id] = at + 3;
      at += 3 + 2 * count;
      counts[id] = 0;
    }
    // Positions in text order are ascending for each lexeme.
    const ids = this.occurrenceIds;
    const positions = this.occurrencePositions;
    for (let i = 0; i < occurrences; i++) {
      const id = ids[i]!;
      const to = starts[id]!;
      out[to] = positions[i]! >> 8;
      out[to + 1] = positions[i]! & 0xff;
      starts[id] = to + 2;
    }
    return out;
  }
}

/** A document in PostgreSQL's text form of a tsvector (tsvectorout), read from its binary form, for comparing with what the database prints. */
export function documentText(document: Buffer): string {
  const entries: string[] = [];
  let at = 4;
  for (let n = document.readInt32BE(0); n > 0; n--) {
    const end = document.indexOf(0, at);
    const lexeme = document.toString('utf8', at, end);
    at = end + 1;
    const positions: string[] = [];
    for (let k = document.readUInt16BE(at), i = 0; i < k; i++) {
      const p = document.readUInt16BE(at + 2 + 2 * i);
      positions.push(`${p & 0x3fff}${['', 'C', 'B', 'A'][p >> 14]}`);
    }
    at += 2 + 2 * positions.length;
    entries.push(`'${lexeme.replace(/['\\]/g, (c) => c + c)}':${positions.join(',')}`);
  }
  return entries.join(' ');
}
