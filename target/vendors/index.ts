/**
 * Plaid Link and Stripe (Elements + hosted Checkout) stand-ins, each on its own loopback HTTPS origin,
 * so an app embeds them cross-origin the way the real vendors are embedded. What the SDKs, pages and
 * APIs do: README.md beside this file.
 */
import { applyVendorFaults, NO_VENDOR_FAULTS, type VendorFaults } from './faults.js';
import { startVendorServer, type Tls } from './http.js';
import { plaidError, plaidRoutes } from './plaid.js';
import { PlaidState, StripeState } from './state.js';
import { stripeError, stripeRoutes } from './stripe.js';

export type { VendorFaults } from './faults.js';
export { MAX_SLOW_MS, NO_VENDOR_FAULTS, vendorFaultsSchema } from './faults.js';

export interface RunningVendors {
  /** e.g. https://127.0.0.1:41234 (no trailing slash) */
  readonly plaidOrigin: string;
  readonly stripeOrigin: string;
  faults(): VendorFaults;
  /** 'replace' (default): unspecified faults turn off; 'merge': they keep their value. Throws on invalid values. */
  setFaults(faults: Partial<VendorFaults>, mode?: 'replace' | 'merge'): void;
  close(): Promise<void>;
}

export interface StartVendorsOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Leaf certificate valid for the host (e.g. from target/ca.ts). */
  tls: Tls;
  faults?: Partial<VendorFaults>;
  quiet?: boolean;
}

export async function startVendors(options: StartVendorsOptions): Promise<RunningVendors> {
  const host = options.host ?? '127.0.0.1';
  let faults = applyVendorFaults(NO_VENDOR_FAULTS, options.faults ?? {}, 'merge');
  const current = (): VendorFaults => faults;
  const log = (message: string): void => {
    if (options.quiet !== true) process.stderr.write(`[vor-vendors] ${message}\n`);
  };
  const common = { host, tls: options.tls, delayMs: () => faults.slowMs, log };

  const plaidState = new PlaidState();
  const stripeState = new StripeState();
  const plaid = await startVendorServer({
    ...common,
    name: 'plaid',
    routes: (origin) => plaidRoutes(origin, plaidState, current),
    errorBody: (status, message) => plaidError(status, message),
  });
  const stripe = await startVendorServer({
    ...common,
    name: 'stripe',
    routes: (origin) => stripeRoutes(origin, stripeState, current),
    errorBody: (status, message) => stripeError(status, message, status === 404 ? 'resource_missing' : undefined),
  }).catch(async (err: unknown) => {
    await plaid.close();
    throw err;
  });
  log(`Plaid at ${plaid.origin}, Stripe at ${stripe.origin}`);

  return {
    plaidOrigin: plaid.origin,
    stripeOrigin: stripe.origin,
    faults: () => ({ ...faults }),
    setFaults(next, mode = 'replace') {
      faults = applyVendorFaults(faults, next, mode);
      log(`faults: ${JSON.stringify(faults)}`);
    },
    close: async () => {
      await Promise.all([plaid.close(), stripe.close()]);
    },
  };
}
