// An HTTP load client in a process of its own: autocannon against BASE_URL, cycling through the
// paths in PATHS (JSON array), CONNECTIONS connections for SECONDS; prints autocannon's result
// as one line of JSON. A benchmark that holds a large heap (the search bench keeps the floor's
// index, hundreds of MB) runs its client here, so the client's own garbage collections, slowed by
// that heap, do not count as server latency.
import autocannon from 'autocannon';

const paths = JSON.parse(process.env.PATHS ?? '["/"]') as string[];
let next = 0;
const result = await autocannon({
  url: process.env.BASE_URL!,
  connections: Number(process.env.CONNECTIONS ?? 16),
  duration: Number(process.env.SECONDS ?? 10),
  requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }],
});
process.stdout.write(`${JSON.stringify(result)}\n`);
