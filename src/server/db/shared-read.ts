// One read shared by the many requests that need the same fresh value at once (the catalogue
// version every search checks). A caller never gets a value read before it asked: it waits for
// the next read to start, and every caller waiting when that read starts shares it. Under load
// one statement then answers a whole queue of requests instead of one each, and a change
// committed before a request came is always seen by it.

/** Wraps `read` so that concurrent callers share reads, each read starting after its callers asked. */
export function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  let queued: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const current: Promise<T> = read().finally(() => {
      if (running === current) running = undefined;
    });
    running = current;
    return current;
  };
  return () => {
    if (!running) return start();
    // The read under way began before this caller asked: wait for the one after it.
    queued ??= running.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      queued = undefined;
      return start();
    });
    return queued;
  };
}
