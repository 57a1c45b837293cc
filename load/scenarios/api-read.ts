import { defaultThresholds, defineScenario } from './types.js';

export default defineScenario({
  name: 'api-read',
  description: 'signed-in users reading their dashboard data through the API',
  requests: [
    { method: 'GET', base: 'api', path: '/me' },
    { method: 'GET', base: 'api', path: '/accounts' },
    { method: 'GET', base: 'api', path: '/transactions' },
  ],
  needsSession: true,
  defaults: { durationSeconds: 10, connections: 10 },
  thresholds: defaultThresholds(20),
});
