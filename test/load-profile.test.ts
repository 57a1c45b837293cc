/**
 * The load scenarios sign in the way the app profile says: Krona (test/fixtures/krona) takes a
 * form-encoded login with username/passphrase fields and a CSRF token from a <meta> tag.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Agent, fetch } from 'undici';
import { AppProfileSchema, isProductionTarget, type AppProfile } from '../src/config/profile.js';
import { buildTarget, type Target } from '../src/core/target.js';
import { prepareScenario, type PreparedScenario } from '../load/prepare.js';
import { SCENARIOS } from '../load/scenarios/index.js';
import type { Scenario } from '../load/scenarios/types.js';
import { startKrona, type RunningKrona } from './fixtures/krona/server.js';

const KRONA_APP: AppProfile = AppProfileSchema.parse({
  api: {
    login: { url: '{api}/sessions', method: 'POST', encoding: 'form', emailField: 'username', passwordField: 'passphrase' },
    csrf: { mode: 'meta', meta: 'csrf-token', header: 'X-Krona-CSRF', source: '/auth/sign-in' },
  },
});

const scenarioOf = (name: string): Scenario => {
  const scenario = SCENARIOS[name];
  assert.ok(scenario !== undefined, name);
  return scenario;
};

let krona: RunningKrona;
let agent: Agent;

function kronaTarget(app: AppProfile = KRONA_APP, credentials: { email: string; password: string } | undefined = krona.testUser): Target {
  return buildTarget({
    name: 'krona',
    baseUrl: krona.baseUrl,
    apiUrl: krona.apiUrl,
    caFile: krona.caFile,
    environment: 'staging',
    publicApiPaths: [],
    routes: [],
    app,
    credentials,
  });
}

/** Sends one prepared request as the load engines would: path on the scenario's origin, its headers and body. */
async function send(prepared: PreparedScenario, index: number, path?: string) {
  const request = prepared.requests[index];
  assert.ok(request !== undefined);
  const response = await fetch(`${prepared.origin}${path ?? request.path}`, {
    method: path === undefined ? request.method : 'GET',
    headers: request.headers,
    ...(request.body === undefined || path !== undefined ? {} : { body: request.body }),
    redirect: 'manual',
    dispatcher: agent,
  });
  return { status: response.status, text: await response.text() };
}

describe('load scenarios against an app with a form login and a <meta> CSRF token', () => {
  before(async () => {
    krona = await startKrona({ quiet: true, bcryptCost: 4, testUser: { email: 'load@krona.test', password: 'load test passphrase 1' } });
    agent = new Agent({ connect: { ca: krona.caPem } });
  });
  after(async () => {
    await agent.close();
    await krona.close();
  });

  test(
    'api-read signs the test user in through the profile-shaped login; its requests carry the session',
    { timeout: 20_000 },
    async () => {
      const prepared = await prepareScenario(scenarioOf('api-read'), kronaTarget());
      const cookie = prepared.requests[0]?.headers.cookie ?? '';
      assert.match(cookie, /(^|; )krona_sid=[^;]+/, `no session cookie in ${cookie}`);
      const me = await send(prepared, 0, '/api/v2/me');
      assert.equal(me.status, 200, me.text);
      assert.match(me.text, /load@krona\.test/);
      assert.ok(!JSON.stringify(prepared).includes(krona.testUser.password), 'the password is not in the prepared requests');
    },
  );

  test(
    'the login scenario posts form fields with the CSRF token: a wrong passphrase is 401, not 403 or 415',
    { timeout: 20_000 },
    async () => {
      const prepared = await prepareScenario(scenarioOf('login'), kronaTarget(KRONA_APP, undefined));
      const request = prepared.requests[0];
      assert.equal(request?.method, 'POST');
      assert.equal(request?.path, '/api/v2/sessions');
      assert.equal(request?.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.deepEqual([...new URLSearchParams(request?.body).keys()], ['username', 'passphrase']);
      assert.ok(request?.headers['X-Krona-CSRF'], 'the CSRF header is sent');
      const answer = await send(prepared, 0);
      assert.equal(answer.status, 401, answer.text);
    },
  );

  test(
    'a login shaped the reference way (JSON, email/password, no token) fails with a reason naming app.api.login',
    { timeout: 20_000 },
    async () => {
      const jsonLogin = AppProfileSchema.parse({ api: { login: { url: '{api}/sessions' }, csrf: { mode: 'none' } } });
      await assert.rejects(prepareScenario(scenarioOf('api-read'), kronaTarget(jsonLogin)), (error: Error) => {
        assert.match(error.message, /login at https:\/\/127\.0\.0\.1:\d+\/api\/v2\/sessions \(app\.api\.login\) answered 415/);
        return true;
      });
    },
  );

  test('a missing <meta> token is named in the login failure', { timeout: 20_000 }, async () => {
    const wrongMeta = AppProfileSchema.parse({ api: { ...KRONA_APP.api, csrf: { ...KRONA_APP.api.csrf, meta: 'xsrf' } } });
    await assert.rejects(prepareScenario(scenarioOf('api-read'), kronaTarget(wrongMeta)), (error: Error) => {
      assert.match(
        error.message,
        /answered 403 without a session cookie; .*\/auth\/sign-in \(app\.api\.csrf\) answered 200 with no <meta name="xsrf">/,
      );
      return true;
    });
  });
});

test('the k6 script refuses production by the same names as vor-watch (prod, production, prd, live; any case)', () => {
  const script = readFileSync(new URL('../load/k6/vor.ts', import.meta.url), 'utf8');
  const literal = /const PRODUCTION_NAMES = \/(.+)\/([a-z]*);/.exec(script);
  assert.ok(literal !== null, 'load/k6/vor.ts declares PRODUCTION_NAMES');
  const refuses = new RegExp(literal[1] ?? '', literal[2]);
  for (const name of [
    'prod',
    'PROD',
    'production',
    'Production',
    'prd',
    'PRD',
    'live',
    'Live',
    'staging',
    'preprod',
    'qa',
    'production-eu',
  ])
    assert.equal(refuses.test(name), isProductionTarget({ environment: name }), name);
});
