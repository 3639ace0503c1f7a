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

function popcount32(x: number): number {
  x = (x - ((x >>> 1) & 0x55555555)) | 0;
  x = ((x & 0x33333333) + ((x >>> 2) & 0x33333333)) | 0;
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export function count(set: Bitset): number {
  let n = 0;
  for (let i = 0; i < set.length; i++) if (set[i] !== 0) n += popcount32(set[i]!);
  return n;
}

/** |a ∧ b| without building it (b may be shorter: missing words are empty). */
export function intersectionSize(a: Bitset, b: Bitset): number {
  let n = 0;
  const words = Math.min(a.length, b.length);
  for (let i = 0; i < words; i++) {
    const x = a[i]! & b[i]!;
    if (x !== 0) n += popcount32(x);
  }
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
