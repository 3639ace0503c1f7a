import { Worker } from 'node:worker_threads';
import type { DrawnIds, JobCopy } from './jobs.bulk.ts';
import type { JobRow } from './jobs.repository.ts';
import type { TextParser } from './search-document.ts';

// The copied import's CPU work off the main thread: a worker builds each batch's search
// documents (search-document.ts) and encodes it for COPY (encodeJobCopy), while the main
// thread reads, validates and numbers the next batches and the transaction copies the one
// before. Those two halves each took about as long; split, they run side by side on two cores.
// The worker asks the main thread for the chunks of text PostgreSQL must parse, so it holds no
// connection of its own.

/** What the main thread sends the worker. */
export type ToEncoder =
  | { kind: 'encode'; batch: number; rows: JobRow[]; drawn: DrawnIds; now: string }
  | { kind: 'parsed'; request: number; docs: string[] }
  | { kind: 'unparsed'; request: number; message: string };

/** What the worker sends back. */
export type FromEncoder =
  | { kind: 'encoded'; batch: number; copy: JobCopy }
  | { kind: 'failed'; batch: number; message: string }
  | { kind: 'parse'; request: number; texts: string[] };

/** The worker's entry: a plain script that registers the TypeScript loader, which workers do not inherit. */
const ENTRY = new URL('./copy-encoder.worker.js', import.meta.url);

/** Encodes batches for COPY on one worker thread, in the order given. */
export class CopyEncoder {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (copy: JobCopy) => void; reject: (error: Error) => void }>();
  private batches = 0;
  private broken: Error | undefined;

  /** `parse` answers the worker's requests to parse text (parseTextsWith). */
  constructor(private readonly parse: TextParser) {
    this.worker = new Worker(ENTRY);
    this.worker.on('message', (message: FromEncoder) => this.receive(message));
    this.worker.on('error', (error) => this.break(error));
    this.worker.on('exit', (code) => this.break(new Error(`the import's encoding worker stopped (exit code ${code})`)));
  }

  /** The COPY streams of a batch whose ids are drawn; `now` is the posting time of open jobs without one. */
  encode(rows: JobRow[], drawn: DrawnIds, now: string): Promise<JobCopy> {
    if (this.broken) return Promise.reject(this.broken);
    const batch = this.batches++;
    return new Promise((resolve, reject) => {
      this.pending.set(batch, { resolve, reject });
      this.send({ kind: 'encode', batch, rows, drawn, now });
    });
  }

  /** Stops the worker; batches not yet encoded fail. */
  async close(): Promise<void> {
    this.break(new Error('the import stopped encoding'));
    await this.worker.terminate();
  }

  private send(message: ToEncoder): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromEncoder): void {
    if (message.kind === 'parse') {
      this.parse(message.texts).then(
        (docs) => this.send({ kind: 'parsed', request: message.request, docs }),
        (error: Error) => this.send({ kind: 'unparsed', request: message.request, message: error.message }),
      );
      return;
    }
    const waiting = this.pending.get(message.batch);
    this.pending.delete(message.batch);
    if (message.kind === 'encoded') waiting?.resolve(message.copy);
    else waiting?.reject(new Error(message.message));
  }

  private break(error: Error): void {
    this.broken ??= error;
    for (const { reject } of this.pending.values()) reject(this.broken);
    this.pending.clear();
  }
}
