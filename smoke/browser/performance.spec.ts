import { check } from '../checks.js';
import { evaluateBundleSize, evaluateImages, evaluateLazyLoading, evaluateWebVitals } from '../evaluate/perf.js';
import { test } from '../fixtures.js';
import { report } from '../outcome.js';
import { imagePlacements, loadEveryImage, observeWebVitals, readWebVitals, recordTransfers } from './measure.js';

test('landing page JavaScript stays within the bundle budget', check('perf.bundle_size'), async ({ landingPage, run }, testInfo) => {
  const transfers = recordTransfers(landingPage.page);
  await landingPage.open();
  await landingPage.page.waitForLoadState('load');
  const { scripts } = await transfers();
  await report(testInfo, evaluateBundleSize('/', scripts, run.budgets));
});

test('landing page images are small, modern and sized', check('perf.images'), async ({ landingPage, run }, testInfo) => {
  const transfers = recordTransfers(landingPage.page);
  await landingPage.open();
  await loadEveryImage(landingPage.page);
  const placements = await imagePlacements(landingPage.page);
  const { images } = await transfers();
  const sized = new Map(placements.map((p) => [p.absoluteUrl, p.hasIntrinsicSize]));
  await report(
    testInfo,
    evaluateImages(
      '/',
      images.map(({ absoluteUrl, ...image }) => ({ ...image, hasIntrinsicSize: sized.get(absoluteUrl) ?? true })),
      run.budgets,
    ),
  );
});

test('landing page images below the fold load lazily', check('perf.lazy_loading'), async ({ landingPage }, testInfo) => {
  await landingPage.open();
  await landingPage.page.waitForLoadState('load');
  await report(testInfo, evaluateLazyLoading('/', await imagePlacements(landingPage.page)));
});

test('landing page Core Web Vitals are within budget', check('perf.web_vitals'), async ({ landingPage, run }, testInfo) => {
  // Well past the fail budget: on a busy machine a late hero can take seconds more to paint, and must still count as late.
  // A page that settles sooner is read sooner; only one still changing waits this long.
  const capMs = run.budgets.lcpFailMs + 10_000;
  await observeWebVitals(landingPage.page, { capMs });
  await landingPage.open();
  const vitals = await readWebVitals(landingPage.page, { capMs });
  await report(testInfo, evaluateWebVitals('/', vitals, run.budgets));
});
