// How Node hands requests to a CPU-bound server, with and without fair dispatch
// (src/server/http/fair-dispatch.ts). A bare node:http server, in its own process, spends
// BENCH_COST_MS of CPU per request (about what a search API request costs on PGlite at 100k jobs)
// and answers with a 20 KB body; autocannon drives it with 16 keep-alive connections, as the search
// bench does. The ideal is what an in-process loop of 16 callers sees: every request waits for the
// 15 ahead of it, so p95 ≈ p50.
// Figures go to bench/results/dispatch.json.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { dispatchFairly } from '../src/server/http/fair-dispatch.ts';
import { machineFacts } from './support/machine.ts';

const COST_MS = Number(process.env.BENCH_COST_MS ?? 0.3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16;
const body = Buffer.alloc(20_000, 'x');

function busyServer(fair: boolean): Server {
  const server = createServer((_request, response) => {
    const until = performance.now() + COST_MS;
    while (performance.now() < until);
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    response.end(body);
  });
  if (fair) dispatchFairly(server);
  return server;
}

/** Serves in a process of its own (as `dayone serve` does), so the client does not share its event loop. */
async function measure(fair: boolean) {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_ROLE: fair ? 'fair-server' : 'server' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const r = await autocannon({ url: `http://127.0.0.1:${Number(line)}/`, connections: CONNECTIONS, duration: SECONDS });
    // autocannon gives p90 and p97.5; p95 is interpolated, as in the search bench.
    const p95 = r.latency.p90 + ((r.latency.p97_5 - r.latency.p90) * 5) / 7.5;
    return { requestsPerSecond: Math.round(r.requests.average), latencyMs: { p50: r.latency.p50, p95: Math.round(p95 * 100) / 100, p99: r.latency.p99 } };
  } finally {
    child.kill();
  }
}

if (process.env.BENCH_ROLE) {
  const server = busyServer(process.env.BENCH_ROLE === 'fair-server');
  server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port));
} else {
  await main();
}

async function main() {
  const rounds: Array<{ nodeOrder: Awaited<ReturnType<typeof measure>>; fair: Awaited<ReturnType<typeof measure>> }> = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const nodeOrder = await measure(false);
    const fair = await measure(true);
    rounds.push({ nodeOrder, fair });
    console.log(`round ${r} node order ${JSON.stringify(nodeOrder)} fair ${JSON.stringify(fair)}`);
  }
  // The ideal p95 of 16 callers taking turns on one core: 16 × the cost per request.
  const ideal = Math.round(CONNECTIONS * COST_MS * 100) / 100;
  await mkdir('bench/results', { recursive: true });
  await writeFile(
    'bench/results/dispatch.json',
    `${JSON.stringify(
      {
        benchmark: 'dispatch',
        costMsPerRequest: COST_MS,
        bodyBytes: body.length,
        connections: CONNECTIONS,
        durationSeconds: SECONDS,
        idealLatencyMs: ideal,
        notes:
          'A bare node:http server spending costMsPerRequest of CPU per request, driven by autocannon. nodeOrder = requests handled as Node reads them (epoll order); fair = through dispatchFairly (each event-loop turn takes every request waiting when it begins, the connection served longest ago first). idealLatencyMs = connections × cost, what every request waits when callers take strict turns. autocannon records whole milliseconds.',
        machine: machineFacts(),
        rounds,
      },
      null,
      2,
    )}\n`,
  );
  console.log('→ bench/results/dispatch.json');
}
