import apiRead from './api-read.js';
import browse from './browse.js';
import { defaultThresholds, defineScenario } from './types.js';

/** Mostly browsing, some signed-in reads: the closest to launch-day traffic. */
export default defineScenario({
  name: 'mixed',
  description: 'landing page and assets, interleaved with signed-in API reads',
  requests: [...browse.requests, ...browse.requests, ...apiRead.requests],
  discoverAssets: true,
  needsSession: true,
  defaults: { durationSeconds: 10, connections: 10 },
  thresholds: defaultThresholds(20),
});
