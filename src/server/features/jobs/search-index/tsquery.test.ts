import { describe, expect, it } from 'vitest';
import { parseTsQuery, phraseChain, TsQuerySyntaxError } from './tsquery.ts';

// The inputs are what PostgreSQL prints for to_tsquery / phraseto_tsquery (checked on 15 and 18).
describe('parseTsQuery', () => {
  it('reads a prefix word, a plain word and quoted quotes', () => {
    expect(parseTsQuery("'custom':*")).toEqual({ kind: 'lexeme', lexeme: 'custom', prefix: true });
    expect(parseTsQuery("'sde'")).toEqual({ kind: 'lexeme', lexeme: 'sde', prefix: false });
    expect(parseTsQuery("'o''neil'")).toEqual({ kind: 'lexeme', lexeme: "o'neil", prefix: false });
  });

  it('gives undefined for the empty query PostgreSQL makes of stop words', () => {
    expect(parseTsQuery('')).toBeUndefined();
    expect(parseTsQuery('  ')).toBeUndefined();
  });

  it('binds ! tighter than <->, <-> tighter than &, & tighter than |', () => {
    expect(parseTsQuery("'a' | 'b' & !'c' <-> 'd'")).toEqual({
      kind: 'or',
      left: { kind: 'lexeme', lexeme: 'a', prefix: false },
      right: {
        kind: 'and',
        left: { kind: 'lexeme', lexeme: 'b', prefix: false },
        right: {
          kind: 'phrase',
          distance: 1,
          left: { kind: 'not', operand: { kind: 'lexeme', lexeme: 'c', prefix: false } },
          right: { kind: 'lexeme', lexeme: 'd', prefix: false },
        },
      },
    });
    expect(parseTsQuery("( 'a' | 'b' ) & 'c'")).toMatchObject({ kind: 'and', left: { kind: 'or' } });
  });

  it('refuses what it cannot evaluate exactly or does not understand', () => {
    expect(() => parseTsQuery("'a':AB")).toThrow(TsQuerySyntaxError);
    expect(() => parseTsQuery("'a' &")).toThrow(TsQuerySyntaxError);
    expect(() => parseTsQuery("'a")).toThrow(TsQuerySyntaxError);
    expect(() => parseTsQuery("'a' 'b'")).toThrow(TsQuerySyntaxError);
  });
});

describe('phraseChain', () => {
  const chain = (text: string) => phraseChain(parseTsQuery(text)!)?.map((l) => `${l.lexeme}@${l.offset}`);

  it('flattens a phrase into words at their distances from the first', () => {
    expect(chain("'softwar' <-> 'develop' <-> 'engin'")).toEqual(['softwar@0', 'develop@1', 'engin@2']);
    // phraseto_tsquery('english', 'head of cross-functional sales'): a stop word leaves a gap of two.
    expect(chain("'head' <2> 'cross-funct' <-> 'cross' <-> 'function' <-> 'sale'")).toEqual(['head@0', 'cross-funct@2', 'cross@3', 'function@4', 'sale@5']);
    expect(chain("'a' <-> ( 'b' <3> 'c' )")).toEqual(['a@0', 'b@1', 'c@4']);
    expect(chain("'solo'")).toEqual(['solo@0']);
  });

  it('gives undefined for phrases of anything but words', () => {
    expect(chain("'a' <-> ( 'b' | 'c' )")).toBeUndefined();
    expect(chain("'a' & 'b'")).toBeUndefined();
  });
});
