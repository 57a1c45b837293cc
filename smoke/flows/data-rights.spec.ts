import { readFile } from 'node:fs/promises';
import { check } from '../checks.js';
import { expect, test } from '../fixtures.js';
import { expectStep } from '../outcome.js';

test(
  "the data export downloads the user's profile and transactions as JSON",
  check('flow.data_export'),
  async ({ settingsPage, signedInFreshUser, page }) => {
    await settingsPage.open();
    const [download] = await Promise.all([page.waitForEvent('download'), settingsPage.exportData.click()]);
    const body = await readFile(await download.path(), 'utf8');
    const data = await expectStep('export_invalid', 'the download is JSON', async () => {
      let parsed: unknown;
      expect(() => (parsed = JSON.parse(body)), `the export is not JSON (${body.length} bytes)`).not.toThrow();
      return parsed as Record<string, unknown>;
    });
    await expectStep('export_incomplete', 'the export holds the profile and the transactions', async () => {
      expect(JSON.stringify(data), 'the export names the user').toContain(signedInFreshUser.email);
      expect(Array.isArray(data.transactions), 'the export has a transactions list').toBe(true);
    });
  },
);

test(
  'a deleted account can no longer log in and exports nothing',
  check('flow.account_deletion'),
  async ({ settingsPage, signedInFreshUser, page, api, browser, run }) => {
    await settingsPage.open();
    const before = await page.context().storageState();
    await settingsPage.deleteConfirmation.fill('DELETE');
    await settingsPage.deleteAccount.click();
    await expectStep('deletion_failed', 'the account is deleted', async () => {
      await expect(page).toHaveURL(/deleted=1/);
    });
    await expectStep('login_still_works', 'the deleted user cannot log in', async () => {
      const login = await api.login(signedInFreshUser);
      expect(login.status(), 'login with the deleted account').toBeGreaterThanOrEqual(400);
    });
    await expectStep('data_still_exported', 'the old session exports nothing', async () => {
      const replay = await browser.newContext({ storageState: before, baseURL: run.baseUrl, ignoreHTTPSErrors: run.ignoreHttpsErrors });
      try {
        const exported = await replay.request.get('/api/export', { maxRedirects: 0 });
        const text = await exported.text();
        expect(exported.ok() && text.includes(signedInFreshUser.email), 'the export still returns the deleted user').toBe(false);
      } finally {
        await replay.close();
      }
    });
  },
);
