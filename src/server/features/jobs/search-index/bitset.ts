// Fixed-size sets of small integers (the dense numbers of indexed jobs), 32 per word. Int32 words:
// V8 keeps them as small integers, where Uint32 values past 2^31 would become doubles.

export type Bitset = Int32Array;

export const wordsFor = (size: number) => (size + 31) >>> 5;

export function has(set: Bitset, n: number): boolean {
  return (set[n >>> 5]! & (1 << (n & 31))) !== 0;
}

export function add(set: Bitset, n: number): void {
  set[n >>> 5]! |= 1 << (n & 31);
}

export function remove(set: Bitset, n: number): void {
  set[n >>> 5]! &= ~(1 << (n & 31));
}

/** A copy of `set` with room for `words` words. */
export function resized(set: Bitset, words: number): Bitset {
  const out = new Int32Array(words);
  out.set(set.subarray(0, Math.min(words, set.length)));
  return out;
}

/** a ∧ b into a new set of a's size (b may be shorter: missing words are empty). */
export function and(a: Bitset, b: Bitset): Bitset {
  const out = new Int32Array(a.length);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) out[i] = a[i]! & b[i]!;
  return out;
}

/** out = a ∧ b (out may be a; b may be shorter: missing words are empty); returns |out|. */
export function andCount(out: Bitset, a: Bitset, b: Bitset): number {
  const n = Math.min(a.length, b.length);
  let members = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]! & b[i]!;
    out[i] = x;
    if (x !== 0) members += popcount32(x);
  }
  out.fill(0, n);
  return members;
}

/** a ∧ b, in place into a. */
export function andInto(a: Bitset, b: Bitset): Bitset {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) a[i]! &= b[i]!;
  a.fill(0, n);
  return a;
}

/** a ∨ b, in place into a. */
export function orInto(a: Bitset, b: Bitset): Bitset {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) a[i]! |= b[i]!;
  return a;
}

/** a ∧ ¬b, in place into a. */
export function andNotInto(a: Bitset, b: Bitset): Bitset {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) a[i]! &= ~b[i]!;
  return a;
}

export function popcount32(x: number): number {
  x = (x - ((x >>> 1) & 0x55555555)) | 0;
  x = ((x & 0x33333333) + ((x >>> 2) & 0x33333333)) | 0;
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export function count(set: Bitset): number {
  let n = 0;
  for (let i = 0; i < set.length; i++) if (set[i] !== 0) n += popcount32(set[i]!);
  return n;
}

/** How many members lie from `from` to `to` (not included). */
export function countRange(set: Bitset, from: number, to: number): number {
  if (from >= to) return 0;
  const first = from >>> 5;
  const last = (to - 1) >>> 5;
  const head = -1 << (from & 31);
  const tail = -1 >>> (31 - ((to - 1) & 31));
  if (first === last) return popcount32(set[first]! & head & tail);
  let n = popcount32(set[first]! & head) + popcount32(set[last]! & tail);
  for (let w = first + 1; w < last; w++) if (set[w] !== 0) n += popcount32(set[w]!);
  return n;
}

/**
 * Calls `visit` with every member, in increasing order. The index's hottest loops (counting facets,
 * choosing the newest) write this walk out instead: at 200,000 members a call per member costs more
 * than the work done for it.
 */
export function forEach(set: Bitset, visit: (n: number) => void): void {
  for (let w = 0; w < set.length; w++) {
    let x = set[w]!;
    while (x !== 0) {
      const low = x & -x;
      visit((w << 5) + 31 - Math.clz32(low));
      x ^= low;
    }
  }
}
