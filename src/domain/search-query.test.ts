import { describe, expect, it } from 'vitest';
import { firstMatchIndex, highlight, normalizeWords, parseSearchQuery, parseSynonyms } from './search-query.ts';

const synonyms = parseSynonyms('# comment\nsde, software development engineer\npm, product manager\n\nlonely\n');
const texts = (q: string) => {
  const parsed = parseSearchQuery(q, synonyms);
  return { include: parsed.include.map((t) => t.text), exclude: parsed.exclude.map((t) => t.text) };
};

describe('parseSearchQuery', () => {
  it('splits words, keeps quoted phrases whole, and takes -word and -"phrase" as exclusions', () => {
    expect(texts('senior "data engineer" -intern -"night shift"')).toEqual({ include: ['senior', 'data engineer'], exclude: ['intern', 'night shift'] });
  });

  it('lowercases, strips accents and punctuation, and drops duplicates', () => {
    expect(texts('Café, CAFÉ! C++ über-cool')).toEqual({ include: ['cafe', 'c', 'uber', 'cool'], exclude: [] });
    expect(normalizeWords('Zoë Ødegård')).toEqual(['zoe', 'ødegard']);
  });

  it('lets only a plain single word match as a prefix', () => {
    const parsed = parseSearchQuery('engin "data"', synonyms);
    expect(parsed.include.map((t) => t.prefix)).toEqual([true, false]);
  });

  it('widens a word to its synonym group, and a typed multi-word synonym to the whole group', () => {
    expect(parseSearchQuery('SDE', synonyms).include[0]!.alternatives).toEqual([['sde'], ['software', 'development', 'engineer']]);
    const typed = parseSearchQuery('software development engineer payments', synonyms).include;
    expect(typed.map((t) => t.text)).toEqual(['software development engineer', 'payments']);
    expect(typed[0]!.alternatives).toEqual([['software', 'development', 'engineer'], ['sde']]);
  });

  it('tolerates an unclosed quote, lone dashes and empty input', () => {
    expect(texts('"data engineer')).toEqual({ include: ['data engineer'], exclude: [] });
    expect(texts(' - -- "" ')).toEqual({ include: [], exclude: [] });
    expect(texts('')).toEqual({ include: [], exclude: [] });
  });

  it('marks terms made only of stop words, which the index does not hold', () => {
    const parsed = parseSearchQuery('IT "the" it support', synonyms).include;
    expect(parsed.map((t) => [t.text, t.stop, t.prefix])).toEqual([
      ['it', true, false],
      ['the', true, false],
      ['support', false, true],
    ]);
  });

  it('keeps at most twelve terms', () => {
    expect(parseSearchQuery(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ')).include).toHaveLength(12);
  });
});

describe('parseSynonyms', () => {
  it('maps every entry of a group to the whole group and ignores comments and single entries', () => {
    expect(synonyms.get('pm')).toEqual(['pm', 'product manager']);
    expect(synonyms.get('product manager')).toEqual(['pm', 'product manager']);
    expect(synonyms.has('lonely')).toBe(false);
  });
});

describe('highlight', () => {
  const marked = (text: string, q: string) =>
    highlight(text, parseSearchQuery(q, synonyms))
      .map((p) => (p.match ? `[${p.text}]` : p.text))
      .join('');

  it('marks matched words, prefixes and plural forms', () => {
    expect(marked('Senior Engineers build engines', 'engineer')).toBe('Senior [Engineers] build engines');
    expect(marked('Senior Engineers build engines', 'engin')).toBe('Senior [Engineers] build [engines]');
  });

  it('marks every word of a matched synonym phrase', () => {
    expect(marked('Software Development Engineer II', 'sde')).toBe('[Software] [Development] [Engineer] II');
  });

  it('never marks excluded words and leaves text alone without a query', () => {
    expect(marked('Intern role', '-intern')).toBe('Intern role');
    expect(marked('Anything', '')).toBe('Anything');
  });

  it('finds where the first marked word begins, as excerpts need', () => {
    const text = 'Senior Engineers build engines';
    for (const q of ['engineer', 'engin', 'build', 'nothing', '', '-senior']) {
      const pieces = highlight(text, parseSearchQuery(q, synonyms));
      const first = pieces.findIndex((p) => p.match);
      const expected = first < 0 ? -1 : pieces.slice(0, first).reduce((n, p) => n + p.text.length, 0);
      expect(firstMatchIndex(text, parseSearchQuery(q, synonyms)), q).toBe(expected);
    }
  });

  it('matches words with accents or in other scripts as their normal forms, asked again with the same query', () => {
    const query = parseSearchQuery('ingenieur Zürich 北京', synonyms);
    for (let i = 0; i < 2; i++) {
      expect(firstMatchIndex('Senior INGÉNIEURS in Geneva', query)).toBe(7);
      expect(firstMatchIndex('Offices: ZURICH and Bern', query)).toBe(9);
      expect(firstMatchIndex('Team in 北京', query)).toBe(8);
      expect(firstMatchIndex('Nothing here', query)).toBe(-1);
    }
  });
});
