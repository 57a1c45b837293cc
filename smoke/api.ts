import { randomBytes } from 'node:crypto';
import type { APIRequestContext, APIResponse, PlaywrightWorkerArgs } from '@playwright/test';
import type { Credentials } from '../src/core/target.js';
import type { SmokeRun } from './run-config.js';

export interface FreshUser extends Credentials {
  readonly name: string;
}

/** A throwaway user: unique e-mail, and a password with the shape the artifact scrubber recognises. */
export function newFreshUser(): FreshUser {
  const id = randomBytes(6).toString('hex');
  return { name: `Smoke ${id}`, email: `smoke+${id}@vor-watch.invalid`, password: `vor-fresh-${randomBytes(12).toString('hex')}` };
}

/**
 * The few API calls the suite makes outside the browser: creating and removing its own users.
 * CSRF is the target's double-submit: the vor_csrf cookie echoed as X-CSRF-Token.
 */
export class VorApi {
  private constructor(
    readonly request: APIRequestContext,
    private readonly run: SmokeRun,
  ) {}

  static async open(playwright: PlaywrightWorkerArgs['playwright'], run: SmokeRun): Promise<VorApi> {
    const request = await playwright.request.newContext({ baseURL: run.baseUrl, ignoreHTTPSErrors: run.ignoreHttpsErrors });
    return new VorApi(request, run);
  }

  private async csrfHeaders(): Promise<Record<string, string>> {
    let csrf = (await this.request.storageState()).cookies.find((c) => c.name === 'vor_csrf')?.value;
    if (csrf === undefined) {
      await this.request.get(`${this.run.apiUrl}/auth/csrf`);
      csrf = (await this.request.storageState()).cookies.find((c) => c.name === 'vor_csrf')?.value;
    }
    return { 'content-type': 'application/json', ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }) };
  }

  async signup(user: FreshUser): Promise<APIResponse> {
    return this.request.post(`${this.run.apiUrl}/auth/signup`, { headers: await this.csrfHeaders(), data: user });
  }

  async login(user: Credentials): Promise<APIResponse> {
    return this.request.post(this.run.loginUrl, {
      headers: await this.csrfHeaders(),
      data: { email: user.email, password: user.password },
    });
  }

  async deleteAccount(): Promise<APIResponse> {
    return this.request.delete(`${this.run.apiUrl}/account`, { headers: await this.csrfHeaders(), data: { confirm: 'DELETE' } });
  }

  async dispose(): Promise<void> {
    await this.request.dispose();
  }
}
