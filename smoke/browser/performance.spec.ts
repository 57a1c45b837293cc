import { check } from '../checks.js';
import { evaluateBundleSize, evaluateImages, evaluateLazyLoading, evaluateWebVitals } from '../evaluate/perf.js';
import { test } from '../fixtures.js';
import { report } from '../outcome.js';
import { measured } from './landing-visit.js';

// The four judge one instrumented first visit to the landing page per worker (landing-visit.ts).

test('landing page JavaScript stays within the bundle budget', check('perf.bundle_size'), async ({ landingVisit, run }, testInfo) => {
  const { scripts, unfinished } = await landingVisit();
  await report(testInfo, evaluateBundleSize('/', scripts, run.budgets, unfinished.scripts));
});

test('landing page images are small, modern and sized', check('perf.images'), async ({ landingVisit, run }, testInfo) => {
  const { images, unfinished } = await landingVisit();
  await report(testInfo, evaluateImages('/', measured(images), run.budgets, unfinished.images));
});

test('landing page images below the fold load lazily', check('perf.lazy_loading'), async ({ landingVisit }, testInfo) => {
  const { placementsAtLoad } = await landingVisit();
  await report(testInfo, evaluateLazyLoading('/', placementsAtLoad));
});

test('landing page Core Web Vitals are within budget', check('perf.web_vitals'), async ({ landingVisit, run }, testInfo) => {
  const { vitals } = await landingVisit();
  await report(testInfo, evaluateWebVitals('/', measured(vitals), run.budgets));
});
