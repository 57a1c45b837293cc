import { appendFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PlaywrightWorkerArgs } from '@playwright/test';
import type { ThrowawayUsers } from '../../src/config/profile.js';
import type { Credentials } from '../../src/core/target.js';
import type { SmokeRun } from '../run-config.js';
import { AppApi } from './api.js';

export interface TestUser extends Credentials {
  readonly name: string;
  /** The id a test-support endpoint or hook gave the user (used to delete it). */
  readonly id?: string;
}

/** What the team's hook module exports (users.throwaway.source: hook). */
export interface UserHooks {
  createUser(context: { baseUrl: string; apiUrl: string; environment: string }): Promise<TestUser>;
  deleteUser(user: TestUser, context: { baseUrl: string; apiUrl: string; environment: string }): Promise<void>;
}

/** A throwaway user's credentials, with the password shape the artifact scrubber recognises. */
export function newUserCredentials(): TestUser {
  const id = randomBytes(6).toString('hex');
  return { name: `Smoke ${id}`, email: `smoke+${id}@vor-watch.invalid`, password: `vor-fresh-${randomBytes(12).toString('hex')}` };
}

export type ThrowawaySource =
  | {
      readonly available: true;
      readonly kind: ThrowawayUsers['source'];
      create(): Promise<TestUser>;
      remove(user: TestUser): Promise<void>;
    }
  | { readonly available: false; readonly why: string };

const HOW_TO_ENABLE =
  'configure targets[].users.throwaway (source: endpoint with a test-support URL, or hook with your own createUser/deleteUser module)';

/** Why public sign-up may not be used on this target (production without allowSignupOnProduction), else undefined. */
export function publicSignupBlocked(run: SmokeRun): string | undefined {
  if (!run.production || run.users.allowSignupOnProduction) return undefined;
  return `this is a production target: nothing signs up through the public form or API unless targets[].users.allowSignupOnProduction is true`;
}

function pick(json: unknown, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>(
      (value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
      json,
    );
}

/** Records a secret the run created, so the parent scrubs it out of every artifact. */
async function remember(run: SmokeRun, secret: string): Promise<void> {
  if (run.secretsFile !== undefined) await appendFile(run.secretsFile, `${secret}\n`, { mode: 0o600 });
}

/** Where the flows' throwaway users come from, per the profile; unavailable ones say which setting enables them. */
export function throwawaySource(run: SmokeRun, playwright: PlaywrightWorkerArgs['playwright'], env: NodeJS.ProcessEnv): ThrowawaySource {
  const source = run.users.throwaway;
  const hookContext = { baseUrl: run.baseUrl, apiUrl: run.apiUrl, environment: run.environment };
  switch (source.source) {
    case 'none':
      return { available: false, why: `no throwaway users (users.throwaway.source: none); ${HOW_TO_ENABLE}` };
    case 'signup-api': {
      const blocked = publicSignupBlocked(run);
      if (blocked !== undefined) return { available: false, why: `${blocked}, or ${HOW_TO_ENABLE}` };
      return {
        available: true,
        kind: source.source,
        create: async () => {
          const user = newUserCredentials();
          const api = await AppApi.open(playwright, run);
          try {
            const body: Record<string, string> = { [source.emailField]: user.email, [source.passwordField]: user.password };
            if (source.nameField !== null) body[source.nameField] = user.name;
            const created = await api.send(source.url, source.method, source.encoding, body);
            if (!created.ok()) throw new Error(`creating a throwaway user at ${source.url} (users.throwaway) answered ${created.status()}`);
          } finally {
            await api.dispose();
          }
          return user;
        },
        remove: async (user) => {
          const api = await AppApi.open(playwright, run);
          try {
            if ((await api.login(user)).ok())
              await api.send(source.delete.url, source.delete.method, source.delete.encoding, source.delete.body);
          } finally {
            await api.dispose();
          }
        },
      };
    }
    case 'endpoint': {
      const token = source.create.tokenEnv === undefined ? undefined : env[source.create.tokenEnv];
      if (source.create.tokenEnv !== undefined && (token === undefined || token === ''))
        return { available: false, why: `the test-support endpoint's token is not set: export ${source.create.tokenEnv}` };
      const auth: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
      return {
        available: true,
        kind: source.source,
        create: async () => {
          const api = await AppApi.open(playwright, run);
          try {
            const created = await api.request.fetch(api.url(source.create.url), {
              method: source.create.method,
              headers: auth,
              data: source.create.body,
            });
            if (!created.ok())
              throw new Error(`the test-support endpoint ${source.create.url} (users.throwaway.create) answered ${created.status()}`);
            const json: unknown = await created.json().catch(() => undefined);
            const { idPath, emailPath, passwordPath } = source.response;
            const [id, email, password] = [idPath, emailPath, passwordPath].map((p) => pick(json, p));
            if (typeof email !== 'string' || typeof password !== 'string')
              throw new Error(
                `the test-support endpoint's answer lacks ${typeof email !== 'string' ? `users.throwaway.response.emailPath (${emailPath})` : `users.throwaway.response.passwordPath (${passwordPath})`}`,
              );
            await remember(run, password);
            return { name: email, email, password, ...(id === undefined || id === null ? {} : { id: String(id) }) };
          } finally {
            await api.dispose();
          }
        },
        remove: async (user) => {
          const api = await AppApi.open(playwright, run);
          try {
            const url = api.url(source.delete.url.replace('{id}', encodeURIComponent(user.id ?? user.email)));
            await api.request.fetch(url, { method: source.delete.method, headers: auth });
          } finally {
            await api.dispose();
          }
        },
      };
    }
    case 'hook': {
      const load = async (): Promise<UserHooks> => {
        const file = path.resolve(run.configDir, source.module);
        const hooks = (await import(pathToFileURL(file).href)) as Partial<UserHooks>;
        if (typeof hooks.createUser !== 'function' || typeof hooks.deleteUser !== 'function')
          throw new Error(`users.throwaway.module ${source.module} must export createUser() and deleteUser(user)`);
        return hooks as UserHooks;
      };
      return {
        available: true,
        kind: source.source,
        create: async () => {
          const user = await (await load()).createUser(hookContext);
          await remember(run, user.password);
          return user;
        },
        remove: async (user) => (await load()).deleteUser(user, hookContext),
      };
    }
  }
}
