// The entry of the import's encoding worker (copy-encoder.ts). A worker thread starts without
// the TypeScript loader of the main thread, so it registers its own before loading the worker.
import { register } from 'tsx/esm/api';

register();
await import('./copy-encoder.worker.ts');
