import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { withChromium } from './browser.js';

export const PDF_FILE = 'report.pdf';

/**
 * Prints the run folder's index.html to report.pdf through Chromium, for QA sign-off: every
 * folded section opened (call logs stay folded), filters hidden by the print styles.
 */
export async function writeReportPdf(runDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const file = path.join(runDir, PDF_FILE);
  await withChromium(env, async (browser) => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(runDir, 'index.html')).href);
    await page.evaluate(() =>
      document.querySelectorAll('details:not(.calllog)').forEach((details) => {
        (details as HTMLDetailsElement).open = true;
      }),
    );
    await page.emulateMedia({ media: 'print' });
    await page.pdf({
      path: file,
      format: 'A4',
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  });
  return file;
}
