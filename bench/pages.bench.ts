// Measures a cached public page (/principles) against a bare hello-world route of the same
// server with autocannon, and writes req/s, latency percentiles and their ratio to
// bench/results/pages.json. Goal: the page reaches at least half the hello-world rate.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import { machineFacts } from './support/machine.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;

const server = spawn(process.execPath, ['--import', 'tsx', 'bench/support/pages-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve, reject) => {
  server.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
  server.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
});

async function measure(path: string, headers: Record<string, string> = {}) {
  // A short warm-up fills the page cache and lets the JIT settle.
  await autocannon({ url: `${url}${path}`, connections: CONNECTIONS, duration: 2, headers });
  const r = await autocannon({ url: `${url}${path}`, connections: CONNECTIONS, duration: DURATION, headers });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${path}: ${r.non2xx} non-2xx answers and ${r.errors} errors`);
  const figures = {
    path,
    headers,
    requestsPerSecond: Math.round(r.requests.average),
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    bytesPerRequest: Math.round(r.throughput.total / r.requests.total),
  };
  console.log(`${path.padEnd(12)} ${JSON.stringify(headers).padEnd(28)} ${String(figures.requestsPerSecond).padStart(7)} req/s  p99 ${figures.latencyMs.p99} ms`);
  return figures;
}

try {
  const hello = await measure('/__hello');
  const page = await measure('/principles');
  const pageBrotli = await measure('/principles', { 'accept-encoding': 'br' });
  const result = {
    benchmark: 'pages',
    description: 'autocannon against one server process: a cached public page vs a bare hello-world route',
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    machine: machineFacts(),
    hello,
    page,
    pageBrotli,
    ratio: {
      pageToHello: Math.round((page.requestsPerSecond / hello.requestsPerSecond) * 100) / 100,
      pageBrotliToHello: Math.round((pageBrotli.requestsPerSecond / hello.requestsPerSecond) * 100) / 100,
    },
    goal: 'page requests per second at least 0.5 × hello world',
  };
  result.goal += result.ratio.pageToHello >= 0.5 ? ' — met' : ' — NOT met';
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/pages.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(`ratio page/hello ${result.ratio.pageToHello} (brotli ${result.ratio.pageBrotliToHello}) → bench/results/pages.json`);
} finally {
  server.kill('SIGTERM');
}
