import { parentPort } from 'node:worker_threads';
import type { FromEncoder, ToEncoder } from './copy-encoder.ts';
import { documentTexts, encodeJobCopy } from './jobs.bulk.ts';
import { SearchDocuments } from './search-document.ts';

// The worker of copy-encoder.ts: builds the documents of each batch and encodes it for COPY,
// one batch at a time in the order received (the memory of parsed chunks is shared by all).

const port = parentPort!;
const send = (message: FromEncoder) => port.postMessage(message);

const waiting = new Map<number, { resolve: (docs: string[]) => void; reject: (error: Error) => void }>();
let requests = 0;
const documents = new SearchDocuments(
  (texts) =>
    new Promise((resolve, reject) => {
      const request = requests++;
      waiting.set(request, { resolve, reject });
      send({ kind: 'parse', request, texts });
    }),
);

let queue: Promise<void> = Promise.resolve();
port.on('message', (message: ToEncoder) => {
  if (message.kind !== 'encode') {
    const request = waiting.get(message.request)!;
    waiting.delete(message.request);
    if (message.kind === 'parsed') request.resolve(message.docs);
    else request.reject(new Error(message.message));
    return;
  }
  const { batch, rows, drawn, now } = message;
  queue = queue.then(async () => {
    try {
      const built = await documents.build(rows.map(documentTexts));
      send({ kind: 'encoded', batch, copy: encodeJobCopy(rows, built, drawn, now) });
    } catch (error) {
      send({ kind: 'failed', batch, message: (error as Error).message });
    }
  });
});
