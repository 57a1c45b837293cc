import { Command, CommanderError, Option } from 'commander';
import { EXIT_USAGE } from '../session/exit-code.js';
import { exitIfStillRunning } from '../session/shutdown.js';
import { processIO, type CommandIO } from '../session/io.js';
import { targetFlagsOf, withTargetFlags } from './target-flags.js';
import { VERSION } from '../version.js';

// Everything beyond parsing the command line is imported when a command needs it: `--version`,
// `--help` and a usage mistake load nothing else, and each command only what it uses.
async function reportFatal(error: unknown, io: CommandIO): Promise<number> {
  const [{ reportFatal: report }, { loadEnvironment }] = await Promise.all([import('./exit.js'), import('../config/resolve.js')]);
  return report(error, io.stderr, loadEnvironment(io.cwd, io.env));
}

type Action = (options: Record<string, unknown>, io: CommandIO) => Promise<number>;

export function buildProgram(io: CommandIO, onExit: (code: number) => void): Command {
  const program = new Command('vor-watch')
    .description('Synthetic monitoring and smoke tests for the VÖR platform: one GO/NO-GO verdict with evidence.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run vor-watch --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  const run =
    (action: () => Promise<{ run: Action }>, { usesTarget = true } = {}) =>
    async (options: Record<string, unknown>) => {
      let code: number;
      try {
        // Configuration is checked before anything starts, so a bad flag never costs a browser launch.
        if (usesTarget) {
          const { resolveConfig } = await import('../config/resolve.js');
          resolveConfig({ flags: targetFlagsOf(options), env: io.env, cwd: io.cwd });
        }
        code = await (await action()).run(options, io);
      } catch (error) {
        code = await reportFatal(error, io);
      }
      onExit(code);
    };

  withTargetFlags(program.command('verify'))
    .description('the post-deploy run: every probe, then the smoke flows and browser checks; one report (exit 0 GO, 1 NO-GO)')
    .addOption(new Option('--suite <name>', 'launch-day suite').choices(['all', 'security', 'backend', 'frontend']).default('all'))
    .option('--load', 'add a short sanity load run')
    .option('--no-smoke', 'probes only (no browser)')
    .option('--checks <dir>', 'the team\'s own Playwright specs (overrides checks.dir of the config), README "Checks as code"')
    .option('--require-attestations', 'NO-GO while a manual checklist item is not attested (VOR_REQUIRE_ATTESTATIONS=true)')
    .option('--pdf', 'also write the report as report.pdf (through Chromium)')
    .option('--keep', "keep this run's report folder: retention never deletes it")
    .action(run(() => import('./commands/verify.js')));

  withTargetFlags(program.command('probe'))
    .description('HTTP-level probes only, no browser (exit 0 all pass/warn/skip, 1 any fail/error)')
    .option(
      '--check <glob>',
      'only checks whose id matches (repeatable), e.g. "headers.*"',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--json', 'print the result JSON of contract.md')
    .option('--keep', "keep this run's report folder: retention never deletes it")
    .action(run(() => import('./commands/probe.js')));

  withTargetFlags(program.command('smoke'))
    .description('Playwright critical flows and browser checks only (exit 0 / 1)')
    .option('--grep <tag>', 'only tests matching this tag or title, e.g. @critical, @compliance, @perf')
    .option('--checks <dir>', 'the team\'s own Playwright specs (overrides checks.dir of the config), README "Checks as code"')
    .option('--keep', "keep this run's report folder: retention never deletes it")
    .action(run(() => import('./commands/smoke.js')));

  withTargetFlags(program.command('load'))
    .description('a load test with thresholds, and its benchmark report (exit 0 thresholds met, 1 not)')
    .option('--scenario <name>', "browse, api-read, login, mixed, or one of the config file's load.scenarios", 'browse')
    .option('--duration <seconds>', 'run length in seconds', '10')
    .option('--connections <n>', 'concurrent connections (closed model)', '10')
    .option('--rate <rps>', 'target arrival rate (open model: latency measured from the intended send time)')
    .option('--engine <name>', "who sends the closed model's requests: vor-watch (its own connections) or autocannon", 'vor-watch')
    .option('--capacity', 'step the rate up until a threshold breaks; report the highest rate that held')
    .option('--baseline <file>', "a previous run's load.json to compare with")
    .option('--abort-on-breach', 'stop at the first window whose thresholds break')
    .option('--allow-production', 'allow a load test against a production environment')
    .option('--import <files...>', "merge k6 runners' load-<runner>.json into one load run (report, history, verdict); sends no load")
    .option('--export-k6 <file>', "write the k6 script's scenario table (with the config's load.scenarios) and exit")
    .option('--keep', "keep this run's report folder: retention never deletes it")
    .action(run(() => import('./commands/load.js')));

  withTargetFlags(program.command('monitor'))
    .description('continuous probing; serves /metrics and /healthz; evaluates rollback triggers (runs until SIGINT/SIGTERM)')
    .option('--interval <duration>', 'probe interval, e.g. 30s', '30s')
    .option('--listen <host:port>', 'where /metrics and /healthz are served', '127.0.0.1:9464')
    .option('--location <name>', 'where this monitor probes from: a `location` label on every series (VOR_LOCATION)')
    .option(
      '--browser-interval <duration>',
      "run the critical flows and the team's specs in the browser this often (default 5m with --checks / checks.dir)",
    )
    .option('--browser-grep <tag>', 'which browser tests the monitor runs (default "@critical|@custom")')
    .option('--checks <dir>', 'the team\'s own Playwright specs (overrides checks.dir of the config), README "Checks as code"')
    .option('--prometheus <url>', "judge the service's own traffic from this Prometheus server too (VOR_PROMETHEUS_URL)")
    .action(run(() => import('./commands/monitor.js')));

  withTargetFlags(program.command('gate'))
    .description('watches a fresh deploy: exit 1 the moment a rollback trigger fires, 0 when the window passes clean')
    .requiredOption('--for <duration>', 'how long to watch, e.g. 10m')
    .option('--interval <duration>', 'probe interval', '15s')
    .option('--allow-inconclusive', 'exit 0 when no trigger fired but data stayed insufficient to decide (default: 1)')
    .option('--prometheus <url>', "judge the service's own traffic from this Prometheus server too (VOR_PROMETHEUS_URL)")
    .option('--keep', "keep this run's report folder: retention never deletes it")
    .action(run(() => import('./commands/gate.js')));

  program
    .command('report')
    .description('the run history across runs and targets as one HTML page (default: history.html in the reports folder)')
    .option('--out <file>', 'where to write the page')
    .option('--runs <n>', 'newest runs to list', '200')
    .option('--config <file>', 'config file, for its reportsDir (VOR_CONFIG)')
    .action(run(() => import('./commands/report.js'), { usesTarget: false }));

  program
    .command('target')
    .description('starts the reference VÖR target on loopback (HTTPS, with its own local CA); runs until stopped')
    .option('--port <n>', 'HTTPS port (default: a free one)')
    .option('--http-port <n>', 'plain-HTTP port (default: a free one)')
    .option('--faults <list>', 'faults to switch on, e.g. no_hsts,cors_reflect_origin,latencyMs=200 (VOR_TARGET_FAULTS)')
    .action(run(() => import('./commands/target.js'), { usesTarget: false }));

  return program;
}

export async function main(argv: readonly string[], io: CommandIO = processIO()): Promise<number> {
  let exitCode: number | undefined;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  if (argv.length <= 2) {
    program.outputHelp();
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every usage mistake is 2.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    return reportFatal(error, io);
  }
  return exitCode ?? 0;
}

/** The CLI as a process (bin/vor-watch.js): its exit code, and a bound on how long leftovers may hold it. */
export async function runAsProcess(): Promise<void> {
  process.exitCode = await main(process.argv);
  exitIfStillRunning(process.stderr);
}

if (process.argv[1] !== undefined && /cli[\\/]main\.(ts|js)$/.test(process.argv[1])) await runAsProcess();
