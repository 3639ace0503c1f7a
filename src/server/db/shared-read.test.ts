import { describe, expect, it } from 'vitest';
import { sharedRead } from './shared-read.ts';

/** A read whose answers the test releases by hand, counting the reads started. */
function manualRead() {
  const pending: Array<{ resolve: (v: number) => void; reject: (e: Error) => void }> = [];
  let value = 0;
  const read = () =>
    new Promise<number>((resolve, reject) => {
      pending.push({ resolve, reject });
    });
  return { read, pending, set: (v: number) => (value = v), answer: (i: number) => pending[i]!.resolve(value), fail: (i: number) => pending[i]!.reject(new Error('down')) };
}

describe('sharedRead', () => {
  it('never answers a caller with a read that began before it asked', async () => {
    const m = manualRead();
    const get = sharedRead(m.read);
    m.set(1);
    const first = get();
    expect(m.pending).toHaveLength(1);
    // A change commits while the first read is under way; later callers must see it.
    m.set(2);
    const second = get();
    const third = get();
    expect(m.pending).toHaveLength(1);
    m.answer(0);
    expect(await first).toBe(2);
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(m.pending).toHaveLength(2);
    m.set(3);
    m.answer(1);
    expect(await second).toBe(3);
    expect(await third).toBe(3);
    // Nothing under way: the next caller starts a read at once.
    const fourth = get();
    expect(m.pending).toHaveLength(3);
    m.answer(2);
    expect(await fourth).toBe(3);
  });

  it('shares one read among every caller queued behind a running one', async () => {
    let reads = 0;
    const get = sharedRead(async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 5));
      return reads;
    });
    const answers = await Promise.all(Array.from({ length: 50 }, () => get()));
    expect(reads).toBe(2);
    expect(answers[0]).toBe(1);
    expect(new Set(answers.slice(1))).toEqual(new Set([2]));
  });

  it('gives a failed read to its callers only; the next callers read again', async () => {
    const m = manualRead();
    const get = sharedRead(m.read);
    const first = get();
    const second = get();
    m.fail(0);
    await expect(first).rejects.toThrow('down');
    await new Promise((r) => setTimeout(r, 0));
    expect(m.pending).toHaveLength(2);
    m.set(7);
    m.answer(1);
    expect(await second).toBe(7);
  });
});
