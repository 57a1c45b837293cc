import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../src/config/errors.js';
import { DEBIAN_CHROMIUM, DEBIAN_HEADLESS_SHELL, pickChromium } from './chromium.js';

const none = { playwrightOwnChromium: () => undefined, exists: () => false };

test("Playwright's own Chromium wins when it is installed", () => {
  const choice = pickChromium({}, { playwrightOwnChromium: () => '/pw/chrome', exists: () => true });
  assert.equal(choice.source, 'playwright');
  assert.equal(choice.executablePath, undefined);
});

test("Debian's chromium is used otherwise, with the container-safe flags", () => {
  const choice = pickChromium({}, { playwrightOwnChromium: () => undefined, exists: (p) => p === DEBIAN_CHROMIUM });
  assert.equal(choice.executablePath, DEBIAN_CHROMIUM);
  assert.ok(choice.args.includes('--no-sandbox') && choice.args.includes('--disable-background-networking'));
});

test("Debian's headless shell is preferred to its full chromium when both are installed", () => {
  const both = pickChromium(
    {},
    { playwrightOwnChromium: () => undefined, exists: (p) => p === DEBIAN_CHROMIUM || p === DEBIAN_HEADLESS_SHELL },
  );
  assert.equal(both.executablePath, DEBIAN_HEADLESS_SHELL);
  assert.ok(both.args.includes('--no-sandbox'));
});

test('with no browser at all the error names both ways to get one', () => {
  assert.throws(
    () => pickChromium({}, none),
    (error: unknown) =>
      error instanceof ConfigError &&
      /apt-get install -y chromium-headless-shell chromium/.test(error.message) &&
      /npx playwright install chromium/.test(error.message),
  );
});

test('a VOR_CHROMIUM_PATH that does not exist is a configuration error naming the variable', () => {
  assert.throws(() => pickChromium({ VOR_CHROMIUM_PATH: '/nope/chrome' }, none), /VOR_CHROMIUM_PATH/);
});
