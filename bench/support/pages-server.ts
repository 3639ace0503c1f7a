// The app as `npm start` builds it, plus one bare route to compare against, in its own process
// so the load generator does not share its event loop. Prints the URL when it listens.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { openDatabase } from '../../src/server/db/client.ts';

const dataDir = await mkdtemp(join(tmpdir(), 'dayone-bench-'));
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret' });
const database = await openDatabase({ url: config.databaseUrl, dataDir });
await database.migrate();
const app = await buildApp({ config, database });
await app.content.loadPack({ dir: 'content/default' });
app.get('/__hello', async () => ({ hello: 'world' }));
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${url}\n`);
process.on('SIGTERM', () => void app.close().then(() => database.close()).then(() => process.exit(0)));
