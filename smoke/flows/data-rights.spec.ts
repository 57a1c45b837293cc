import { text } from 'node:stream/consumers';
import { check } from '../checks.js';
import { expectMarker } from '../app/locate.js';
import { expect, test } from '../fixtures.js';
import { expectStep } from '../outcome.js';

test("the data export downloads the user's data as JSON", check('flow.data_export'), async ({ settingsPage, signedInFreshUser, page }) => {
  await settingsPage.open();
  const [download] = await Promise.all([page.waitForEvent('download'), settingsPage.exportData.click()]);
  // Read as a stream: over a connection to a shared browser (smoke/browser/shared-browser.ts) download.path() is not available.
  const body = await text(await download.createReadStream());
  const data = await expectStep('export_invalid', 'the download is JSON', async () => {
    let parsed: unknown;
    expect(() => (parsed = JSON.parse(body)), `the export is not JSON (${body.length} bytes)`).not.toThrow();
    return parsed;
  });
  await expectStep('export_incomplete', "the export holds the user's own data", async () => {
    expect(JSON.stringify(data), 'the export names the user').toContain(signedInFreshUser.email);
  });
});

test(
  'a deleted account can no longer log in and exports nothing',
  check('flow.account_deletion'),
  async ({ settingsPage, signedInFreshUser, page, api, browser, run }) => {
    await settingsPage.open();
    const before = await page.context().storageState();
    await settingsPage.deleteWith(signedInFreshUser.email);
    await expectStep('deletion_failed', 'the account is deleted', async () => {
      await expectMarker(page, run.app.settings.deleted, 'settings.deleted');
    });
    await expectStep('login_still_works', 'the deleted user cannot log in', async () => {
      const login = await api.login(signedInFreshUser);
      expect(login.status(), 'login with the deleted account (app.api.login)').toBeGreaterThanOrEqual(400);
    });
    await expectStep('data_still_exported', 'the old session exports nothing', async () => {
      const replay = await browser.newContext({ storageState: before, baseURL: run.baseUrl, ignoreHTTPSErrors: run.ignoreHttpsErrors });
      try {
        const exported = await replay.request.get(run.authenticatedReadUrl!, { maxRedirects: 0 });
        const text = await exported.text();
        expect(exported.ok() && text.includes(signedInFreshUser.email), 'the export still returns the deleted user').toBe(false);
      } finally {
        await replay.close();
      }
    });
  },
);
