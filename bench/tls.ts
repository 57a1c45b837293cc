/**
 * Times the TLS and redirect probes against bare local servers (no reference target needed):
 * `npm run bench:tls -- [runs]`. Reusable from other benches: `benchTlsProbes(runs)`.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:net';
import { pathToFileURL } from 'node:url';
import { httpsRedirectProbe } from '../probes/redirect/probe.js';
import { tlsProbe } from '../probes/tls/probe.js';
import { createPki } from '../probes/tls/test-pki.js';
import { probeOnce } from '../probes/tls/test-support.js';

export interface ProbeTiming {
  readonly probe: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly maxMs: number;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

const summarize = (probe: string, samples: number[]): ProbeTiming => {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  return { probe, runs: sorted.length, medianMs: round(sorted[Math.floor(sorted.length / 2)] ?? 0), maxMs: round(sorted.at(-1) ?? 0) };
};

export async function benchTlsProbes(runs = 20): Promise<ProbeTiming[]> {
  const pki = createPki();
  const tlsServer = createHttpsServer(
    {
      key: pki.leafKey.privatePem,
      cert: pki.leaf().pem + pki.intermediate.pem,
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384',
    },
    (_req, res) => res.end('ok'),
  );
  tlsServer.on('tlsClientError', () => undefined);
  const port = await listen(tlsServer);
  const httpServer = createHttpServer((_req, res) => res.writeHead(301, { location: `https://127.0.0.1:${port}/` }).end());
  const httpPort = await listen(httpServer);
  const input = { baseUrl: `https://127.0.0.1:${port}`, httpUrl: `http://127.0.0.1:${httpPort}`, caPem: pki.root.pem };
  const timings: Record<string, number[]> = { tls: [], redirect: [] };
  try {
    for (let i = 0; i < runs; i += 1) {
      for (const [name, probe] of [
        ['tls', tlsProbe],
        ['redirect', httpsRedirectProbe],
      ] as const) {
        const started = performance.now();
        const results = await probeOnce(probe, input);
        timings[name]?.push(performance.now() - started);
        const bad = [...results.values()].find((r) => r.status !== 'pass');
        if (bad !== undefined) throw new Error(`${bad.id} is ${bad.status}: ${bad.message}`);
      }
    }
  } finally {
    for (const server of [httpServer, tlsServer]) server.closeAllConnections();
    await Promise.all([tlsServer, httpServer].map((s) => new Promise((resolve) => s.close(resolve))));
  }
  return Object.entries(timings).map(([name, samples]) => summarize(name, samples));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runs = Number(process.argv[2] ?? 20);
  for (const timing of await benchTlsProbes(Number.isInteger(runs) && runs > 0 ? Math.min(runs, 200) : 20))
    console.log(JSON.stringify(timing));
}
