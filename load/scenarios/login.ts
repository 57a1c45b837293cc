import { defaultThresholds, defineScenario } from './types.js';

/**
 * Wrong-password logins against the rate-limited endpoint: 401 before the limit and 429 after it
 * are the expected answers; a 2xx or a 5xx is not (the limit must hold under load).
 */
export default defineScenario({
  name: 'login',
  description: 'wrong-password logins against the rate-limited login endpoint (the limit must hold)',
  requests: [
    {
      method: 'POST',
      base: 'login',
      path: '',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'load-test-nobody@example.invalid', password: 'not-the-password' }),
    },
  ],
  acceptedStatuses: [400, 401, 403, 429],
  defaults: { durationSeconds: 10, connections: 5 },
  thresholds: defaultThresholds(10),
});
