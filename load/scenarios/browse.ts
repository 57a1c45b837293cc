import { defaultThresholds, defineScenario } from './types.js';

export default defineScenario({
  name: 'browse',
  description: 'anonymous visitors: the landing page and the static assets it references',
  requests: [{ method: 'GET', base: 'site', path: '/' }],
  discoverAssets: true,
  defaults: { durationSeconds: 10, connections: 10 },
  thresholds: defaultThresholds(20),
});
