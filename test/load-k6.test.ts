import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { renderK6Scenarios } from '../load/k6-export.js';
import { SCENARIO_NAMES } from '../load/scenarios/index.js';

const k6Dir = new URL('../load/k6/', import.meta.url);

test('the k6 threshold table is the one vor-watch load judges by (regenerate: npx tsx load/k6-export.ts > load/k6/scenarios.json)', () => {
  const committed = readFileSync(new URL('scenarios.json', k6Dir), 'utf8');
  assert.deepEqual(JSON.parse(committed), JSON.parse(renderK6Scenarios()));
  const table = JSON.parse(committed) as Record<string, { thresholds: Record<string, string[]> }>;
  assert.deepEqual(Object.keys(table), SCENARIO_NAMES);
  assert.deepEqual(table.browse?.thresholds, {
    http_req_duration: ['p(95)<3000', 'p(99)<5000'],
    http_req_failed: ['rate<0.05'],
    http_reqs: ['rate>=20'],
  });
});

test('the k6-operator TestRun runs the k6 script from its ConfigMap against a non-production environment', () => {
  const manifest = parseAllDocuments(readFileSync(new URL('../deploy/k8s/k6-testrun.yaml', import.meta.url), 'utf8'))
    .map((d) => d.toJS() as { kind: string })
    .find((d) => d.kind === 'TestRun') as unknown as {
    apiVersion: string;
    kind: string;
    spec: {
      parallelism: number;
      script: { configMap: { name: string; file: string } };
      runner: {
        env: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
        volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[];
        volumeMounts: { name: string; mountPath: string }[];
      };
    };
  };
  assert.equal(manifest.apiVersion, 'k6.io/v1alpha1');
  assert.equal(manifest.kind, 'TestRun');
  assert.equal(manifest.spec.script.configMap.file, 'vor.ts');
  assert.ok(manifest.spec.parallelism >= 1);
  const env = Object.fromEntries(manifest.spec.runner.env.map((e) => [e.name, e.value]));
  const runnerId = manifest.spec.runner.env.find((e) => e.name === 'RUNNER_ID');
  assert.ok(SCENARIO_NAMES.includes(env.SCENARIO ?? ''), 'SCENARIO names a vor-watch scenario');
  assert.notEqual(env.VOR_ENVIRONMENT ?? 'production', 'production');
  assert.equal(Number(env.RUNNERS), manifest.spec.parallelism, 'each runner judges its share of RATE');
  // Each runner's files outlive its pod (a mounted claim, not the pod's own /tmp) and carry its pod name.
  const mount = manifest.spec.runner.volumeMounts.find((m) => env.SUMMARY_DIR === m.mountPath);
  assert.ok(mount, `SUMMARY_DIR ${env.SUMMARY_DIR} is a mounted volume`);
  const volume = manifest.spec.runner.volumes.find((v) => v.name === mount.name);
  assert.equal(volume?.persistentVolumeClaim?.claimName, 'vor-load-results');
  assert.equal(runnerId?.valueFrom?.fieldRef?.fieldPath, 'metadata.name', 'RUNNER_ID is the pod name: one file pair per runner');
  assert.doesNotMatch(JSON.stringify(manifest), /PASSWORD["']?\s*[:=]\s*["'][^"'$]/i, 'no password inline');
});
