import type { APIRequestContext, APIResponse, PlaywrightWorkerArgs } from '@playwright/test';
import { resolveLocation, type CsrfSettings } from '../../src/config/profile.js';
import type { Credentials } from '../../src/core/target.js';
import type { SmokeRun } from '../run-config.js';
import { metaContent } from '../../src/net/meta-tag.js';

type Body = Readonly<Record<string, unknown>>;

/**
 * The few requests the suite makes outside the browser (signing users in, creating and removing them),
 * shaped by the app profile: JSON or form bodies, and the app's CSRF mechanism.
 */
export class AppApi {
  private constructor(
    readonly request: APIRequestContext,
    private readonly run: SmokeRun,
  ) {}

  /** Over an existing request context (a page's, so the session lands in its browser context). */
  static over(request: APIRequestContext, run: SmokeRun): AppApi {
    return new AppApi(request, run);
  }

  static async open(playwright: PlaywrightWorkerArgs['playwright'], run: SmokeRun): Promise<AppApi> {
    const request = await playwright.request.newContext({ baseURL: run.baseUrl, ignoreHTTPSErrors: run.ignoreHttpsErrors });
    return new AppApi(request, run);
  }

  url(location: string): string {
    return resolveLocation(location, this.run);
  }

  private async cookie(name: string): Promise<string | undefined> {
    return (await this.request.storageState()).cookies.find((c) => c.name === name)?.value;
  }

  /** The headers that carry the app's CSRF token (none when the profile says `mode: none`). */
  async csrfHeaders(csrf: CsrfSettings = this.run.app.api.csrf): Promise<Record<string, string>> {
    if (csrf.mode === 'none') return {};
    if (csrf.mode === 'cookie') {
      let token = await this.cookie(csrf.cookie);
      if (token === undefined) {
        await this.request.get(this.url(csrf.source));
        token = await this.cookie(csrf.cookie);
      }
      return token === undefined ? {} : { [csrf.header]: token };
    }
    const page = await this.request.get(this.url(csrf.source));
    const token = metaContent(await page.text(), csrf.meta);
    return token === undefined ? {} : { [csrf.header]: token };
  }

  /** Sends a profile-shaped request: JSON or form-encoded body, with the CSRF header. */
  async send(
    location: string,
    method: string,
    encoding: 'json' | 'form',
    body: Body,
    headers: Record<string, string> = {},
  ): Promise<APIResponse> {
    const all = { ...(await this.csrfHeaders()), ...headers };
    const withBody = method !== 'GET' && method !== 'HEAD';
    const payload = !withBody
      ? {}
      : encoding === 'form'
        ? { form: Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)])) }
        : { data: body };
    return this.request.fetch(this.url(location), { method, headers: all, ...payload, maxRedirects: 0 });
  }

  /** Signs in through the login request the profile describes; the session lands in this context's cookies. */
  login(user: Credentials): Promise<APIResponse> {
    const login = this.run.app.api.login;
    return this.send(this.run.loginUrl, login.method, login.encoding, {
      [login.emailField]: user.email,
      [login.passwordField]: user.password,
    });
  }

  /** An authenticated read; a signed-out or deleted session must not get the user's data from it. */
  authenticatedRead(): Promise<APIResponse> {
    return this.request.get(this.run.authenticatedReadUrl ?? this.url(this.run.app.api.authenticatedRead), { maxRedirects: 0 });
  }

  async dispose(): Promise<void> {
    await this.request.dispose();
  }
}
