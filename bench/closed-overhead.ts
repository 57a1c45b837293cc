/**
 * Where the autocannon engine's gap (`--engine autocannon`) to raw autocannon goes: autocannon driven programmatically with one
 * 'response' listener (as load/engines/autocannon.ts drives it), in a process that first imports the
 * given vor-watch modules (from dist/, unused) and optionally records each answer in vor-watch's
 * LoadRecorder. Each variant runs pinned to core 1 against nginx on core 0, the order rotating
 * round by round; it prints every round and the median ratio of each variant to the bare one.
 *
 *   node --import tsx bench/closed-overhead.ts [--rounds 8] [--seconds 2] [--variant NAME=MODULE,MODULE …]
 *
 * Default variants: bare; recorder (LoadRecorder.record per answer); load-modules (imports
 * dist/load/run.js first, records nothing). Not a goal: a diagnostic for issue 17's closed-model gap.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import type * as Sample from '../load/sample.js';
import { median } from './goals.js';
import { CLIENT_CORE, startNginx } from './nginx.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const run = promisify(execFile);

/** A bad argument: say which and exit 2, as the other bench scripts do. */
function usage(message: string): never {
  process.stderr.write(`closed-overhead: ${message}\n`);
  process.exit(2);
}

interface ClientResult {
  readonly rps: number;
  readonly cpuMicrosPerRequest: number;
}

/** One pinned run: `client <url> <seconds> <record:0|1> [module…]`; prints one JSON line. */
async function client(args: readonly string[]): Promise<void> {
  const [url, seconds, record, ...modules] = args;
  for (const module of modules) await import(new URL(`../dist/${module}`, import.meta.url).href);
  let onAnswer: (status: number, ms: number) => void = () => undefined;
  if (record === '1') {
    const { LoadRecorder } = (await import(new URL('../dist/load/sample.js', import.meta.url).href)) as typeof Sample;
    const recorder = new LoadRecorder(1000);
    onAnswer = (status, ms) => recorder.record(ms, status, status >= 400);
  }
  const { default: autocannon } = await import('autocannon');
  let answers = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const instance = autocannon({ url: url as string, connections: 10, duration: Number(seconds), skipAggregateResult: true }, () => {
    const used = process.cpuUsage(cpu);
    const result: ClientResult = {
      rps: answers / ((performance.now() - started) / 1000),
      cpuMicrosPerRequest: (used.user + used.system) / answers,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    answers += 1;
    onAnswer(status, ms);
  });
}

async function drive(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '8' },
      seconds: { type: 'string', default: '2' },
      variant: { type: 'string', multiple: true },
    },
  });
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  if (!(rounds >= 1 && rounds <= 30) || !(seconds >= 1 && seconds <= 30)) usage('--rounds must be 1..30, --seconds 1..30');
  if (!existsSync(new URL('../dist/load/run.js', import.meta.url))) usage('no build: run npm run build first');
  const variants: { name: string; record: boolean; modules: string[] }[] = [
    { name: 'bare', record: false, modules: [] },
    { name: 'recorder', record: true, modules: [] },
    { name: 'load-modules', record: false, modules: ['load/run.js'] },
    ...(values.variant ?? []).map((spec) => {
      const [name = '', list = ''] = spec.split('=');
      const modules = list.split(',').filter(Boolean);
      if (name === '' || modules.length === 0) usage(`--variant ${spec}: expected NAME=MODULE[,MODULE…] (paths under dist/)`);
      const missing = modules.filter((m) => !existsSync(new URL(`../dist/${m}`, import.meta.url)));
      if (missing.length > 0) usage(`--variant ${spec}: not in dist/: ${missing.join(', ')}`);
      return { name, record: false, modules };
    }),
  ];
  if (new Set(variants.map((v) => v.name)).size !== variants.length)
    usage('--variant names must differ from each other and from bare, recorder, load-modules');
  const nginx = await startNginx();
  const results = new Map(variants.map((v) => [v.name, [] as ClientResult[]]));
  try {
    for (let round = 0; round < rounds; round += 1) {
      const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
      for (const v of order) {
        const { stdout } = await run(
          '/usr/bin/taskset',
          [
            '-c',
            CLIENT_CORE,
            process.execPath,
            '--import',
            'tsx',
            SELF,
            'client',
            nginx.url,
            String(seconds),
            v.record ? '1' : '0',
            ...v.modules,
          ],
          { cwd: ROOT, timeout: (seconds + 30) * 1000 },
        );
        results.get(v.name)!.push(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ClientResult);
      }
      console.log(
        `round ${round + 1}: ${variants.map((v) => `${v.name} ${results.get(v.name)!.at(-1)!.rps.toFixed(0)}/s ${results.get(v.name)!.at(-1)!.cpuMicrosPerRequest.toFixed(2)} µs`).join(', ')}`,
      );
    }
  } finally {
    nginx.stop();
  }
  const bare = results.get('bare')!;
  for (const v of variants.slice(1)) {
    const own = results.get(v.name)!;
    const ratios = own.map((r, i) => r.rps / bare[i]!.rps);
    const cpu = own.map((r, i) => r.cpuMicrosPerRequest / bare[i]!.cpuMicrosPerRequest);
    console.log(
      `${v.name}: median throughput ratio to bare ${median(ratios).toFixed(3)}, CPU per request ${median(cpu).toFixed(3)}× (per-round pairs)`,
    );
  }
}

if (process.argv[2] === 'client') await client(process.argv.slice(3));
else await drive();
