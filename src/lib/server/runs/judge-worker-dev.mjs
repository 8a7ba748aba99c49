// The judge worker's script where the server runs from the TypeScript sources (vite dev, vitest):
// Node 20 cannot load .ts in a worker thread, so this registers judge-worker-ts-hooks.mjs (which
// strips the types with the typescript package, a dev dependency) and imports the .ts entry.
// The built server never loads it: there the entry is a plain .js chunk (judge-worker.ts).
import { register } from 'node:module';
import { workerData } from 'node:worker_threads';

register('./judge-worker-ts-hooks.mjs', import.meta.url);
await import(workerData.entry);
