import { chromium, type Browser } from '@playwright/test';
import { pickChromium } from '../../smoke/chromium.js';

/** Runs `body` with a headless Chromium (the one the smoke tests use), closed afterwards. */
export async function withChromium<T>(env: NodeJS.ProcessEnv, body: (browser: Browser) => Promise<T>): Promise<T> {
  const choice = pickChromium(env);
  const browser = await chromium.launch({
    ...(choice.executablePath === undefined ? {} : { executablePath: choice.executablePath }),
    args: [...choice.args],
  });
  try {
    return await body(browser);
  } finally {
    await browser.close();
  }
}
