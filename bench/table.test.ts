import assert from 'node:assert/strict';
import test from 'node:test';
import { mergeResults, parseResults, renderTable, replaceBetweenMarkers, serializeResults } from './table.js';

const machine = (date: string, load: number) =>
  JSON.stringify({ machine: { cores: 2, cpu: 'Test CPU @ 2.0GHz', loadAverage: [load, 1, 0.5], node: 'v20.20.2', date }, benches: [] });

const RUN_LINES = [
  JSON.stringify({
    ...JSON.parse(machine('2026-11-29T13:40:00.000Z', 3.25)),
    benches: ['startup', 'tls', 'load'],
    failed: [{ bench: 'load', exit: 'exited 1 without reporting a goal' }],
  }),
  JSON.stringify({
    bench: 'startup',
    goal: '`vor-watch --version` wall time',
    measured: 0.0912,
    target: 0.2,
    unit: 's',
    better: 'lower',
    met: true,
    detail: 'median of 7',
  }),
  JSON.stringify({
    bench: 'tls',
    goal: 'HTTPS probes/s vs blackbox | fresh handshakes',
    measured: 0.97,
    target: 1,
    unit: '×',
    better: 'higher',
    met: false,
    detail: 'median of 6 per-round ratios; 880 vs 907 probes/s',
  }),
].join('\n');

test('the table has one row per goal, PASS or MISS, a row for a bench that reported nothing, and the machine', () => {
  const table = renderTable(parseResults(RUN_LINES));
  const lines = table.split('\n');
  assert.equal(lines[0], '| bench | goal | measured | target | result | detail |');
  assert.equal(lines[2], '| startup | `vor-watch --version` wall time | 0.0912 s | ≤ 0.2 s | PASS | median of 7 |');
  // A `|` inside a cell is escaped so the row keeps its columns.
  assert.equal(
    lines[3],
    '| tls | HTTPS probes/s vs blackbox \\| fresh handshakes | 0.97× | ≥ 1× | **MISS** | median of 6 per-round ratios; 880 vs 907 probes/s |',
  );
  assert.equal(lines[4], '| load | (no goal reported) | — | — | **FAILED** | exited 1 without reporting a goal |');
  assert.ok(
    lines.includes(
      '- `startup`, `tls`, `load`: 2 cores (Test CPU @ 2.0GHz), load average 3.3 / 1.0 / 0.5 (1/5/15 min) at start, Node v20.20.2, 2026-11-29 13:40 UTC',
    ),
    table,
  );
});

test('a run of some benches replaces their rows and keeps the others with the run that measured them', () => {
  const before = parseResults(RUN_LINES);
  const latest = parseResults(
    [
      JSON.stringify({ ...JSON.parse(machine('2026-11-30T08:00:00.000Z', 0.5)), benches: ['tls'] }),
      JSON.stringify({
        bench: 'tls',
        goal: 'HTTPS probes/s vs blackbox',
        measured: 1.04,
        target: 1,
        unit: '×',
        better: 'higher',
        met: true,
      }),
    ].join('\n'),
  );
  const merged = parseResults(serializeResults(mergeResults(before, latest)));
  assert.deepEqual(
    merged.goals.map((g) => [g.bench, g.measured]),
    [
      ['startup', 0.0912],
      ['tls', 1.04],
    ],
  );
  assert.deepEqual(
    merged.runs.map((r) => r.benches),
    [['startup', 'load'], ['tls']],
  );
  const table = renderTable(merged);
  assert.match(table, /\| tls \| HTTPS probes\/s vs blackbox \| 1\.04× \| ≥ 1× \| PASS \| {2}\|/);
  assert.match(table, /- `tls`: .*2026-11-30 08:00 UTC/);
});

test('only the text between the markers is replaced; no markers is an error', () => {
  const readme = '# x\n<!-- bench:begin -->\nold table\n<!-- bench:end -->\nafter\n';
  assert.equal(replaceBetweenMarkers(readme, 'new table'), '# x\n<!-- bench:begin -->\nnew table\n<!-- bench:end -->\nafter\n');
  assert.throws(() => replaceBetweenMarkers('# x\n', 'new'), /lacks the markers/);
  assert.throws(() => parseResults('{"nothing": 1}'), /line 1 is neither/);
});
