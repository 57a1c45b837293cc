import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { Redactor } from '../core/redact.js';
import type { RunSummary } from '../core/result.js';
import { buildPayload, type WebhookFormat } from './payload.js';
import type { PostOptions } from './webhook.js';

/** The commands whose verdict people wait for. */
const NOTIFYING = new Set(['verify', 'gate']);

export interface NotifyInput {
  readonly command: string;
  readonly summary: RunSummary;
  /** The run folder (its index.html is the report). */
  readonly dir: string;
  /** The reports folder (VOR_REPORTS_DIR) that VOR_REPORT_URL publishes. */
  readonly reportsDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly redactor: Redactor;
  readonly post?: PostOptions;
}

/**
 * Where people can open the report: the run folder's path under the reports folder, resolved
 * against VOR_REPORT_URL (e.g. the CI artifact URL; its query, such as a signature, is kept), else
 * the local file. None when VOR_REPORT_URL is set but the report went elsewhere (a temporary
 * folder): that link would lead nowhere.
 */
export function reportLinkOf(dir: string, reportsDir: string, env: NodeJS.ProcessEnv): string | undefined {
  const base = env.VOR_REPORT_URL;
  if (base === undefined || base === '') return pathToFileURL(path.join(dir, 'index.html')).href;
  const relative = path.relative(path.resolve(reportsDir), path.resolve(dir));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative) || !URL.canParse(base)) return undefined;
  const url = new URL(base);
  const segments = [...relative.split(path.sep), 'index.html'].map(encodeURIComponent);
  url.pathname = path.posix.join(url.pathname, ...segments);
  return url.href;
}

function formatOf(url: string, env: NodeJS.ProcessEnv): WebhookFormat {
  const chosen = env.VOR_WEBHOOK_FORMAT;
  if (chosen === 'slack' || chosen === 'json') return chosen;
  return URL.canParse(url) && new URL(url).hostname === 'hooks.slack.com' ? 'slack' : 'json';
}

/**
 * Posts verify's and gate's verdict to VOR_WEBHOOK_URL, if set. Never throws: a webhook that is
 * down must not change a verdict; the returned line says what went wrong, without the URL
 * (a Slack webhook URL is itself a credential).
 */
export async function notifyRun(input: NotifyInput): Promise<string | undefined> {
  const url = input.env.VOR_WEBHOOK_URL;
  if (url === undefined || url === '' || !NOTIFYING.has(input.command)) return undefined;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    return 'VOR_WEBHOOK_URL is not an http(s) URL; no notification was sent';
  const format = formatOf(url, input.env);
  const payload = buildPayload(
    { command: input.command, summary: input.summary, reportLink: reportLinkOf(input.dir, input.reportsDir, input.env) },
    format,
    input.redactor.string,
  );
  // Messages are redacted when results are made; this is the last line of defence before leaving the machine.
  const body: unknown = JSON.parse(JSON.stringify(payload), (_key, value: unknown) =>
    typeof value === 'string' ? input.redactor.string(value) : value,
  );
  try {
    // undici (behind postJson) is loaded only when there is a webhook to call.
    const { DEFAULT_POST_OPTIONS, postJson } = await import('./webhook.js');
    const status = await postJson(url, body, input.post ?? DEFAULT_POST_OPTIONS);
    return status >= 200 && status < 300
      ? undefined
      : `the webhook (VOR_WEBHOOK_URL) answered ${status}; the notification was not accepted`;
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error as Error).name;
    return `the webhook (VOR_WEBHOOK_URL) could not be reached (${reason}) after retries; no notification was sent`;
  }
}
