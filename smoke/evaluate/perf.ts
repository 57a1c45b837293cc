import type { Budgets } from '../../src/config/schema.js';
import { errored, fail, pass, warn, type Finding } from '../../src/core/result.js';

export interface TransferredScript {
  readonly url: string;
  readonly transferBytes: number;
}

const kb = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;

/** checks.md perf.bundle_size: JS transferred for the landing page against the budget (warn above 80 %). */
/** `unfinished`: paths of scripts that never finished loading, whose size nobody knows. */
export function evaluateBundleSize(
  page: string,
  scripts: readonly TransferredScript[],
  budgets: Pick<Budgets, 'bundleKb'>,
  unfinished: readonly string[] = [],
): Finding {
  const totalBytes = scripts.reduce((sum, s) => sum + s.transferBytes, 0);
  const largest = [...scripts]
    .sort((a, b) => b.transferBytes - a.transferBytes)
    .slice(0, 5)
    .map((s) => ({ url: s.url, kb: kb(s.transferBytes) }));
  const evidence = { page, totalKb: kb(totalBytes), budgetKb: budgets.bundleKb, scripts: scripts.length, largest };
  const budgetBytes = budgets.bundleKb * 1024;
  if (totalBytes > budgetBytes)
    return fail(
      'perf.bundle_size',
      'over_budget',
      `${kb(totalBytes)} KB of JS on ${page}, over the ${budgets.bundleKb} KB budget`,
      evidence,
    );
  if (unfinished.length > 0)
    return errored(
      'perf.bundle_size',
      'timeout',
      `${unfinished.length} script(s) on ${page} never finished loading, e.g. ${unfinished[0]}: the page's JS total is unknown (${kb(totalBytes)} KB from the ${scripts.length} that did)`,
      { ...evidence, unfinished: unfinished.slice(0, 10) },
    );
  if (totalBytes > 0.8 * budgetBytes)
    return warn(
      'perf.bundle_size',
      'near_budget',
      `${kb(totalBytes)} KB of JS on ${page}, above 80 % of the ${budgets.bundleKb} KB budget`,
      evidence,
    );
  return pass('perf.bundle_size', `${kb(totalBytes)} KB of JS on ${page} (budget ${budgets.bundleKb} KB)`, evidence);
}

export interface LoadedImage {
  readonly url: string;
  readonly transferBytes: number;
  readonly contentType: string;
  /** Both width and height given in markup (or CSS aspect-ratio), so the layout does not shift. */
  readonly hasIntrinsicSize: boolean;
}

const MODERN_FORMATS = /image\/(webp|avif|svg\+xml)/i;

/** checks.md perf.images: fail on an image over budget; warn on legacy formats or missing intrinsic size. */
/** `unfinished`: paths of images that never finished loading, whose size nobody knows. */
export function evaluateImages(
  page: string,
  images: readonly LoadedImage[],
  budgets: Pick<Budgets, 'imageKb'>,
  unfinished: readonly string[] = [],
): Finding {
  const oversized = images.filter((i) => i.transferBytes > budgets.imageKb * 1024);
  const legacy = images.filter((i) => !MODERN_FORMATS.test(i.contentType));
  const unsized = images.filter((i) => !i.hasIntrinsicSize);
  const list = (items: readonly LoadedImage[]) =>
    items.slice(0, 10).map((i) => ({ url: i.url, kb: kb(i.transferBytes), type: i.contentType }));
  const evidence = { page, images: images.length, budgetKb: budgets.imageKb };
  if (oversized.length > 0) {
    const [first] = oversized;
    return fail(
      'perf.images',
      'oversized_image',
      `${oversized.length} image(s) over ${budgets.imageKb} KB on ${page}, e.g. ${first?.url} (${kb(first?.transferBytes ?? 0)} KB)`,
      { ...evidence, oversized: list(oversized) },
    );
  }
  if (unfinished.length > 0)
    return errored(
      'perf.images',
      'timeout',
      `${unfinished.length} image(s) on ${page} never finished loading, e.g. ${unfinished[0]}: their size is unknown`,
      { ...evidence, unfinished: unfinished.slice(0, 10) },
    );
  if (legacy.length > 0)
    return warn('perf.images', 'legacy_format', `${legacy.length} image(s) on ${page} are not WebP/AVIF, e.g. ${legacy[0]?.url}`, {
      ...evidence,
      legacy: list(legacy),
    });
  if (unsized.length > 0)
    return warn(
      'perf.images',
      'no_intrinsic_size',
      `${unsized.length} image(s) on ${page} have no width/height (layout shift), e.g. ${unsized[0]?.url}`,
      { ...evidence, unsized: list(unsized) },
    );
  return pass('perf.images', `${images.length} image(s) on ${page}, all modern formats, sized, under ${budgets.imageKb} KB`, evidence);
}

export interface ImagePlacement {
  readonly src: string;
  readonly belowFold: boolean;
  readonly loading: string | null;
}

/** checks.md perf.lazy_loading: warn when an image below the fold is not loading="lazy". */
export function evaluateLazyLoading(page: string, images: readonly ImagePlacement[]): Finding {
  const below = images.filter((i) => i.belowFold);
  const eager = below.filter((i) => i.loading?.toLowerCase() !== 'lazy');
  const evidence = { page, images: images.length, belowFold: below.length, eager: eager.slice(0, 10).map((i) => i.src) };
  if (eager.length > 0)
    return warn(
      'perf.lazy_loading',
      'not_lazy',
      `${eager.length} image(s) below the fold on ${page} lack loading="lazy", e.g. ${eager[0]?.src}`,
      evidence,
    );
  return pass('perf.lazy_loading', `${below.length} image(s) below the fold on ${page}, all lazy`, evidence);
}

export interface WebVitals {
  readonly lcpMs?: number;
  readonly cls: number;
}

/** checks.md perf.web_vitals: LCP and CLS against the fail and warn budgets. */
export function evaluateWebVitals(
  page: string,
  vitals: WebVitals,
  budgets: Pick<Budgets, 'lcpFailMs' | 'lcpWarnMs' | 'clsFail' | 'clsWarn'>,
): Finding {
  const lcpMs = vitals.lcpMs === undefined ? null : Math.round(vitals.lcpMs);
  const cls = Math.round(vitals.cls * 1000) / 1000;
  const evidence = {
    page,
    lcpMs,
    cls,
    budgets: { lcpFailMs: budgets.lcpFailMs, lcpWarnMs: budgets.lcpWarnMs, clsFail: budgets.clsFail, clsWarn: budgets.clsWarn },
  };
  // Judge the measured values; the rounded ones are for display (CLS 0.2504 is over 0.25).
  const rawLcpMs = vitals.lcpMs;
  const rawCls = vitals.cls;
  if (lcpMs === null || rawLcpMs === undefined)
    return {
      id: 'perf.web_vitals',
      status: 'error',
      reason: 'not_measured',
      message: `no Largest Contentful Paint was reported on ${page}`,
      evidence,
    };
  if (rawLcpMs > budgets.lcpFailMs)
    return fail('perf.web_vitals', 'slow_lcp', `LCP ${lcpMs} ms on ${page} (> ${budgets.lcpFailMs} ms)`, evidence);
  if (rawCls > budgets.clsFail) return fail('perf.web_vitals', 'layout_shift', `CLS ${cls} on ${page} (> ${budgets.clsFail})`, evidence);
  if (rawLcpMs > budgets.lcpWarnMs)
    return warn('perf.web_vitals', 'slow_lcp', `LCP ${lcpMs} ms on ${page} (> ${budgets.lcpWarnMs} ms)`, evidence);
  if (rawCls > budgets.clsWarn) return warn('perf.web_vitals', 'layout_shift', `CLS ${cls} on ${page} (> ${budgets.clsWarn})`, evidence);
  return pass('perf.web_vitals', `LCP ${lcpMs} ms, CLS ${cls} on ${page}`, evidence);
}
