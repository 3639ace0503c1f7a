// An HTTP load client in a process of its own: autocannon against BASE_URL, cycling through the
// paths in PATHS (JSON array), CONNECTIONS connections for SECONDS; prints one line of JSON with
// the requests per second and the exact p50/p95/p99 of every 2xx answer's latency (autocannon's
// own histogram keeps whole milliseconds, too coarse next to a floor of 3–4 ms). A benchmark
// that holds a large heap (the search bench keeps the floor's index, hundreds of MB) runs its
// client here, so the client's own garbage collections, slowed by that heap, do not count as
// server latency. With LATENCIES=1 the line also lists every latency, for a caller that pools
// several runs before taking percentiles.
import autocannon from 'autocannon';

const paths = JSON.parse(process.env.PATHS ?? '["/"]') as string[];
let next = 0;
const latencies: number[] = [];
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const run = autocannon(
    {
      url: process.env.BASE_URL!,
      connections: Number(process.env.CONNECTIONS ?? 16),
      duration: Number(process.env.SECONDS ?? 10),
      requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }],
    },
    (error, finished) => (error ? reject(error) : resolve(finished)),
  );
  run.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
});
latencies.sort((a, b) => a - b);
const at = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]! * 100) / 100;
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: at(50), p95: at(95), p99: at(99) },
    answers: latencies.length,
    non2xx: result.non2xx,
    errors: result.errors,
    ...(process.env.LATENCIES === '1' ? { latencies } : {}),
  })}\n`,
);
