/**
 * Parsing of what a candidate types into the job search box. Pure: the server turns the
 * result into SQL, the page uses it to highlight matches.
 *
 * Syntax: words (each must match, the last may be a prefix), "quoted phrases" (matched in
 * order), and -word or -"phrase" to exclude. Synonym groups widen a word or phrase to every
 * equivalent in its group.
 */

/** One thing the query asks for: any of its alternatives must match. */
export interface SearchTerm {
  /** What the person typed, normalized (lowercase, no accents). */
  text: string;
  /** Alternatives to match, each a list of words matched as a phrase; the first is `text` itself. */
  alternatives: string[][];
  /** True when `text` is a single word that may match as a prefix ("engin" finds "engineer"). */
  prefix: boolean;
  /**
   * True when every word is a stop word the full-text index leaves out ("IT", "the"): such a
   * term is matched as whole words in the title instead.
   */
  stop: boolean;
}

/** The words PostgreSQL's English configuration does not index. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself ' +
    'they them their theirs themselves what which who whom this that these those am is are was were be been being have has had ' +
    'having do does did doing a an the and but if or because as until while of at by for with about against between into through ' +
    'during before after above below to from up down in out on off over under again further then once here there when where why ' +
    'how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now'
  ).split(' '),
);

export interface ParsedQuery {
  include: SearchTerm[];
  exclude: SearchTerm[];
}

/** Synonym groups: each key (a normalized word or phrase) maps to every member of its group. */
export type Synonyms = ReadonlyMap<string, readonly string[]>;

const MAX_TERMS = 12;

/** Lowercases, strips accents, and splits into words of letters and digits. */
export function normalizeWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Reads a synonyms file: one group per line, entries separated by commas, `#` comments. */
export function parseSynonyms(text: string): Synonyms {
  const map = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const group = [...new Set(line.split(',').map((e) => normalizeWords(e).join(' ')).filter(Boolean))];
    if (group.length < 2) continue;
    for (const entry of group) {
      const known = map.get(entry) ?? [];
      map.set(entry, [...new Set([...known, ...group])]);
    }
  }
  return map;
}

/** Parses the search box text. Never throws: anything unusable is ignored. */
export function parseSearchQuery(input: string, synonyms: Synonyms = new Map()): ParsedQuery {
  const include: SearchTerm[] = [];
  const exclude: SearchTerm[] = [];
  // A quoted phrase (closing quote optional), or a run of non-space characters; either may start with '-'.
  const token = /(-?)"([^"]*)"?|(-?)([^\s"]+)/g;
  const raw: Array<{ negative: boolean; words: string[]; quoted: boolean }> = [];
  for (const match of input.slice(0, 500).matchAll(token)) {
    const quoted = match[2] !== undefined;
    const negative = (quoted ? match[1] : match[3]) === '-';
    const words = normalizeWords(quoted ? match[2]! : match[4]!);
    if (words.length === 0) continue;
    if (quoted || negative) raw.push({ negative, words, quoted: true });
    else for (const word of words) raw.push({ negative: false, words: [word], quoted: false });
  }
  // Multi-word synonyms typed without quotes ("software development engineer") are taken as one term.
  const merged = mergeKnownPhrases(raw, synonyms);
  for (const part of merged) {
    const text = part.words.join(' ');
    const target = part.negative ? exclude : include;
    if (target.some((t) => t.text === text) || include.length + exclude.length >= MAX_TERMS) continue;
    const group = synonyms.get(text) ?? [text];
    const alternatives = [text, ...group.filter((g) => g !== text)].map((g) => g.split(' '));
    const stop = alternatives.length === 1 && part.words.every((w) => STOP_WORDS.has(w));
    target.push({ text, alternatives, prefix: !stop && !part.quoted && part.words.length === 1 && !synonyms.has(text), stop });
  }
  return { include, exclude };
}

function mergeKnownPhrases(parts: Array<{ negative: boolean; words: string[]; quoted: boolean }>, synonyms: Synonyms) {
  const out: typeof parts = [];
  for (let i = 0; i < parts.length; i++) {
    let taken = false;
    // Longest known phrase of plain words starting here.
    for (let len = Math.min(5, parts.length - i); len >= 2 && !taken; len--) {
      const slice = parts.slice(i, i + len);
      if (slice.some((p) => p.quoted || p.negative)) continue;
      const phrase = slice.map((p) => p.words[0]).join(' ');
      if (synonyms.has(phrase)) {
        out.push({ negative: false, words: phrase.split(' '), quoted: true });
        i += len - 1;
        taken = true;
      }
    }
    if (!taken) out.push(parts[i]!);
  }
  return out;
}

/** A piece of text, marked when it matched the query. */
export interface Highlighted {
  text: string;
  match: boolean;
}

/**
 * Splits `text` into pieces, marking words that match an included term: the word itself,
 * a word it is a prefix of, or a word of a matching phrase or synonym.
 */
export function highlight(text: string, query: ParsedQuery): Highlighted[] {
  const hits = wordMatcher(query);
  if (!hits) return [{ text, match: false }];
  const pieces: Highlighted[] = [];
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    if (!hits(match[0])) continue;
    if (match.index > last) pieces.push({ text: text.slice(last, match.index), match: false });
    pieces.push({ text: match[0], match: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), match: false });
  return mergeAdjacent(pieces);
}

/** Where the first word `highlight` would mark begins, or -1: reads only up to it. */
export function firstMatchIndex(text: string, query: ParsedQuery): number {
  return firstMatchFinder(query)(text);
}

/** `firstMatchIndex` for one query and many texts (the excerpts of a result page), its matcher made once. */
export function firstMatchFinder(query: ParsedQuery): (text: string) => number {
  const hits = wordMatcher(query);
  return (text) => {
    if (!hits) return -1;
    for (const match of text.matchAll(WORD)) if (hits(match[0])) return match.index;
    return -1;
  };
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Letters and digits only, all ASCII: such a word's normal form is its lower case. */
const ASCII_WORD = /^[A-Za-z0-9]+$/;

/** Whether a word of text matches an included term (by light stem, or as a prefix); undefined when nothing is included. */
function wordMatcher(query: ParsedQuery): ((word: string) => boolean) | undefined {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const term of query.include) {
    for (const alternative of term.alternatives) for (const word of alternative) exact.add(stem(word));
    if (term.prefix) prefixes.push(term.text);
  }
  if (exact.size === 0) return undefined;
  return (raw) => {
    const word = ASCII_WORD.test(raw) ? raw.toLowerCase() : (normalizeWords(raw)[0] ?? '');
    return exact.has(stem(word)) || prefixes.some((p) => word.startsWith(p));
  };
}

/** A light English stemmer for highlighting only ("engineers" → "engineer"); search itself uses PostgreSQL's. */
function stem(word: string): string {
  for (const suffix of ['ies', 'es', 's', 'ing', 'ed']) {
    if (word.length > suffix.length + 2 && word.endsWith(suffix)) return suffix === 'ies' ? `${word.slice(0, -3)}y` : word.slice(0, -suffix.length);
  }
  return word;
}

function mergeAdjacent(pieces: Highlighted[]): Highlighted[] {
  const out: Highlighted[] = [];
  for (const piece of pieces) {
    const prev = out.at(-1);
    if (prev && prev.match === piece.match) prev.text += piece.text;
    else out.push({ ...piece });
  }
  return out;
}
