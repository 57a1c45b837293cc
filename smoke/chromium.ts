import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { configError } from '../src/config/errors.js';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
/**
 * Debian's build of the old headless shell, the same kind of browser Playwright itself runs for
 * headless tests: no browser UI, so a new context costs about 0.1 s of CPU instead of 0.5 s with
 * the full browser (the suite opens one per test). Preferred when installed.
 */
export const DEBIAN_HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

/** Flags for a distribution Chromium running as root in a container, with no calls home. */
export const DEBIAN_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export interface ChromiumChoice {
  /** undefined: Playwright's own managed browser. */
  readonly executablePath?: string;
  readonly source: 'VOR_CHROMIUM_PATH' | 'playwright' | 'debian';
  readonly args: readonly string[];
  /** Playwright records video with its own ffmpeg build; without it, videos are off. */
  readonly canRecordVideo: boolean;
}

function playwrightBrowsersDir(env: NodeJS.ProcessEnv): string {
  const configured = env.PLAYWRIGHT_BROWSERS_PATH;
  if (configured !== undefined && configured !== '' && configured !== '0') return configured;
  return path.join(os.homedir(), '.cache', 'ms-playwright');
}

function hasPlaywrightFfmpeg(env: NodeJS.ProcessEnv): boolean {
  const dir = playwrightBrowsersDir(env);
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((name) => name.startsWith('ffmpeg'));
}

function playwrightOwnChromium(): string | undefined {
  try {
    const file = chromium.executablePath();
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Picks the browser at run time: an explicit VOR_CHROMIUM_PATH, else Playwright's own Chromium
 * when it is installed, else Debian's headless shell, else Debian's chromium. Throws a ConfigError
 * naming both ways to get one.
 */
export function pickChromium(env: NodeJS.ProcessEnv, lookups = { playwrightOwnChromium, exists: existsSync }): ChromiumChoice {
  const canRecordVideo = hasPlaywrightFfmpeg(env);
  const explicit = env.VOR_CHROMIUM_PATH;
  if (explicit !== undefined && explicit !== '') {
    if (!lookups.exists(explicit))
      throw configError('VOR_CHROMIUM_PATH', `no browser at "${explicit}"; point it at a Chromium executable or unset it`);
    return { executablePath: explicit, source: 'VOR_CHROMIUM_PATH', args: DEBIAN_CHROMIUM_ARGS, canRecordVideo };
  }
  if (lookups.playwrightOwnChromium() !== undefined) return { source: 'playwright', args: [], canRecordVideo };
  for (const executablePath of [DEBIAN_HEADLESS_SHELL, DEBIAN_CHROMIUM])
    if (lookups.exists(executablePath)) return { executablePath, source: 'debian', args: DEBIAN_CHROMIUM_ARGS, canRecordVideo };
  throw configError(
    'browser',
    `no Chromium found. Install one of: Debian's packages (\`apt-get install -y chromium-headless-shell chromium\`, give ${DEBIAN_HEADLESS_SHELL} and ${DEBIAN_CHROMIUM}) ` +
      "or Playwright's own build (`npx playwright install chromium`, needs internet); " +
      'or set VOR_CHROMIUM_PATH to an existing Chromium executable',
  );
}
