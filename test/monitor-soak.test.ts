/**
 * Opt-in soak (VOR_SOAK=1; VOR_SOAK_SECONDS, default 60): the real monitor against the reference
 * target with faults flapping every 3 s. The long version is `node --import tsx bench/soak.ts`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

const enabled = process.env.VOR_SOAK === '1';
const seconds = Number(process.env.VOR_SOAK_SECONDS ?? 60);

describe(
  'monitor soak against a flapping target',
  { timeout: (seconds + 60) * 1000, skip: enabled ? false : 'opt-in: set VOR_SOAK=1' },
  () => {
    it('never crashes, loses no cycle, keeps /metrics valid, cardinality bounded and RSS flat', async () => {
      const { runSoak } = await import('../bench/soak.js');
      const report = await runSoak({ seconds, intervalMs: 3000, flapMs: 3000 });
      assert.equal(report.crashed, false, JSON.stringify(report));
      assert.equal(report.exitCode, 0);
      assert.deepEqual(report.promtoolFailures, []);
      assert.ok(report.scrapes >= seconds / 2, `${report.scrapes} scrapes`);
      assert.ok(report.faultChanges >= seconds / 4);
      assert.equal(report.lostCycles, 0, `lost ${report.lostCycles} of ${report.expectedCycles} cycles`);
      // One target: every series is (check × status/outcome/bucket); new label values stop appearing.
      assert.ok(report.seriesMax <= 1000, `${report.seriesMax} series`);
      assert.ok(report.rssGrowth < 0.1, `RSS grew ${(report.rssGrowth * 100).toFixed(1)} % after warm-up`);
    });
  },
);
