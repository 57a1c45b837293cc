/** Everything a running reference target remembers: faults, the SQLite store, secrets, counters, started payments. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetRegistry, type AssetSet } from './assets.js';
import { Store } from './db.js';
import { applyFaults, defaultFaults, type Faults } from './faults.js';
import { LoginRateLimiter } from './rate-limit.js';
import type { VendorClient } from './vendor-client.js';

export interface TestUser {
  email: string;
  password: string;
}

export interface TargetStateOptions {
  testUser: TestUser;
  /** The backend's client of the Plaid and Stripe stand-ins. */
  vendors: VendorClient;
  faults?: Partial<Faults>;
  /** Where SQLite lives. Default: a fresh temp dir, removed by close(). */
  stateDir?: string;
  bcryptCost?: number;
  rateLimitPerMinute?: number;
  /** The front-end origin the API allows (CORS) and trusts (CSRF). Default: the target's own origin. */
  allowedOrigin?: string;
  quiet?: boolean;
}

/** A payment the app started at Stripe (a payment intent or a Checkout session) for one user. */
export interface StartedPayment {
  userId: string;
  description: string;
}

/** Started payments kept at most (oldest forgotten first): the target may run for days. */
const MAX_STARTED_PAYMENTS = 10_000;

export class TargetState {
  faults: Faults;
  readonly store: Store;
  readonly testUser: TestUser;
  readonly adminToken = randomBytes(24).toString('base64url');
  readonly jwtSecret = randomBytes(32);
  readonly loginLimiter: LoginRateLimiter;
  /** Vendor id (pi_… or cs_…) → who started it; a payment is recorded only for that user. */
  private readonly startedPayments = new Map<string, StartedPayment>();
  readonly startedAt = Date.now();
  /** Every request the target answered (admin API excluded), redirects on the plain-HTTP port included. */
  requestCount = 0;
  /** Requests that reached the application (what stallEvery counts). */
  appRequestCount = 0;
  /** Known once the servers listen. */
  baseUrl = '';
  httpUrl = '';
  readonly assets: AssetRegistry;
  readonly vendors: VendorClient;
  private readonly stateDir: string;
  private readonly ownsStateDir: boolean;

  constructor(private readonly options: TargetStateOptions) {
    this.faults = applyFaults(defaultFaults(), options.faults ?? {}, 'replace');
    this.ownsStateDir = options.stateDir === undefined;
    this.stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'vor-target-'));
    this.store = new Store(this.stateDir, options.bcryptCost ?? 8);
    this.testUser = { ...options.testUser };
    this.store.createUser(this.testUser.email, this.testUser.password, 'QA Test User');
    this.loginLimiter = new LoginRateLimiter(options.rateLimitPerMinute ?? 10);
    this.assets = new AssetRegistry(() => this.httpUrl);
    this.vendors = options.vendors;
  }

  log(msg: string): void {
    if (this.options.quiet !== true) process.stderr.write(`[vor-target] ${msg}\n`);
  }

  /** The asset URLs pages reference under the current faults. */
  assetSet(): AssetSet {
    return this.assets.forFaults(this.faults);
  }

  /** Origins granted CORS with credentials. */
  allowedOrigins(): string[] {
    return [this.options.allowedOrigin ?? this.baseUrl];
  }

  /** Origins whose state-changing requests pass the CSRF Origin check. */
  trustedOrigins(): string[] {
    return [this.baseUrl, ...this.allowedOrigins()];
  }

  rememberStartedPayment(vendorId: string, payment: StartedPayment): void {
    this.startedPayments.set(vendorId, payment);
    if (this.startedPayments.size > MAX_STARTED_PAYMENTS) {
      const oldest = this.startedPayments.keys().next().value;
      if (oldest !== undefined) this.startedPayments.delete(oldest);
    }
  }

  /** The payment `vendorId` if `userId` started it. */
  startedPayment(vendorId: string, userId: string): StartedPayment | undefined {
    const started = this.startedPayments.get(vendorId);
    return started?.userId === userId ? started : undefined;
  }

  close(): void {
    this.store.close();
    if (this.ownsStateDir) rmSync(this.stateDir, { recursive: true, force: true });
  }
}
