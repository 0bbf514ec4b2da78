import autocannon from 'autocannon';
import { sampleOrder } from './sample-order.js';

/**
 * The load generator, run in a process of its own: POSTs unique orders to a hub and prints
 * autocannon's figures as one JSON line. Arguments: url key connections seconds prefix.
 */
async function main() {
  const [url, key, connections, seconds, prefix] = process.argv.slice(2);
  if (!url || !key) throw new Error('usage: load.js URL KEY CONNECTIONS SECONDS PREFIX');
  let n = 0;
  const result = await autocannon({
    url: `${url}/v1/orders`,
    connections: Number(connections ?? 64),
    duration: Number(seconds ?? 10),
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    requests: [
      {
        setupRequest(request: Record<string, unknown>) {
          n += 1;
          return { ...request, body: JSON.stringify(sampleOrder(`${prefix ?? 'b'}-${n}`)) };
        },
      },
    ],
  });
  process.stdout.write(
    `${JSON.stringify({
      duration: result.duration,
      total: result.requests.total,
      perSecond: result.requests.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
      errors: result.errors,
      timeouts: result.timeouts,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
