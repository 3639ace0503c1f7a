import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../demo-jobs.ts';
import { add, andCount, count, countRange, forEach, has, popcount32, wordsFor } from './bitset.ts';

describe('bitsets', () => {
  it('counts the bits of a word, the sign bit too', () => {
    const random = mulberry32(5);
    const slow = (x: number) => [...Array(32).keys()].filter((b) => (x >>> b) & 1).length;
    for (const x of [0, 1, -1, 0x80000000 | 0, 0x7fffffff, 0xffff, 0xffff0000 | 0]) expect(popcount32(x), String(x)).toBe(slow(x));
    for (let i = 0; i < 1000; i++) {
      const x = Math.floor(random() * 2 ** 32) | 0;
      expect(popcount32(x)).toBe(slow(x));
    }
  });

  it('counts the members in any range, against counting them one by one', () => {
    const random = mulberry32(11);
    for (let round = 0; round < 200; round++) {
      const size = 1 + Math.floor(random() * 300);
      const set = new Int32Array(wordsFor(size));
      const members: number[] = [];
      const density = random();
      for (let n = 0; n < size; n++) {
        if (random() >= density) continue;
        add(set, n);
        members.push(n);
      }
      expect(count(set)).toBe(members.length);
      const seen: number[] = [];
      forEach(set, (n) => seen.push(n));
      expect(seen).toEqual(members);
      for (let i = 0; i < 20; i++) {
        const from = Math.floor(random() * (size + 1));
        const to = from + Math.floor(random() * (size + 1 - from));
        expect(countRange(set, from, to), `${from}..${to} of ${size}`).toBe(members.filter((n) => n >= from && n < to).length);
      }
    }
  });

  it('intersects into a set and counts the result, a shorter set being empty past its end', () => {
    const random = mulberry32(12);
    for (let round = 0; round < 100; round++) {
      const size = 1 + Math.floor(random() * 300);
      const a = new Int32Array(wordsFor(size));
      const b = new Int32Array(Math.floor(random() * (wordsFor(size) + 1)));
      for (let n = 0; n < size; n++) if (random() < 0.5) add(a, n);
      for (let n = 0; n < b.length * 32; n++) if (random() < 0.5) add(b, n);
      const out = new Int32Array(a.length).fill(-1);
      const members = andCount(out, a, b);
      const expected = Array.from({ length: size }, (_, n) => n).filter((n) => has(a, n) && n < b.length * 32 && has(b, n));
      const got: number[] = [];
      forEach(out, (n) => got.push(n));
      expect(got).toEqual(expected);
      expect(members).toBe(expected.length);
    }
  });
});
