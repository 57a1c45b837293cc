import type { ScenarioRequest } from './types.js';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * A scenario's requests in sending order, each as often as its weight says, spread out rather than
 * bunched (smooth weighted round-robin): both engines and the k6 script cycle through this list.
 */
export function weightedOrder(requests: readonly ScenarioRequest[]): ScenarioRequest[] {
  const weights = requests.map((r) => r.weight ?? 1);
  const divisor = weights.reduce((a, b) => gcd(a, b), 0) || 1;
  const scaled = weights.map((w) => w / divisor);
  const total = scaled.reduce((a, b) => a + b, 0);
  const current = scaled.map(() => 0);
  const order: ScenarioRequest[] = [];
  for (let step = 0; step < total; step += 1) {
    let best = 0;
    scaled.forEach((w, i) => {
      current[i] = (current[i] ?? 0) + w;
      if ((current[i] ?? 0) > (current[best] ?? 0)) best = i;
    });
    current[best] = (current[best] ?? 0) - total;
    const request = requests[best];
    if (request !== undefined) order.push(request);
  }
  return order;
}
