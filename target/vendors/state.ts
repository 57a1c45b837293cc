/** In-memory records of the vendor stand-ins (bounded: oldest records go first). */
import { randomBytes, randomUUID } from 'node:crypto';

const MAX_RECORDS = 10_000;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlnum(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALNUM[byte % ALNUM.length];
  return out;
}

class BoundedMap<V> {
  private readonly map = new Map<string, V>();

  set(key: string, value: V): void {
    this.map.set(key, value);
    if (this.map.size > MAX_RECORDS) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  take(key: string): V | undefined {
    const value = this.map.get(key);
    this.map.delete(key);
    return value;
  }
}

// ---------- Plaid ----------

export interface Institution {
  readonly institution_id: string;
  readonly name: string;
}

/** Plaid's sandbox institutions (names and ids as Plaid publishes them). */
export const INSTITUTIONS: readonly Institution[] = [
  { institution_id: 'ins_109508', name: 'First Platypus Bank' },
  { institution_id: 'ins_109511', name: 'Tartan Bank' },
  { institution_id: 'ins_109512', name: 'Houndstooth Bank' },
];

export const SANDBOX_USERNAME = 'user_good';
export const SANDBOX_PASSWORD = 'pass_good';

export interface LinkedAccount {
  readonly id: string;
  readonly name: string;
  readonly mask: string;
}

export interface LinkResult {
  readonly publicToken: string;
  readonly institution: Institution;
  readonly accounts: readonly LinkedAccount[];
}

export interface Item {
  readonly accessToken: string;
  readonly itemId: string;
  readonly institution: Institution;
  readonly accounts: readonly LinkedAccount[];
}

export const isLinkToken = (token: string): boolean => /^link-sandbox-[A-Za-z0-9-]{1,200}$/.test(token);

export class PlaidState {
  private readonly publicTokens = new BoundedMap<LinkResult>();

  createLinkToken(): string {
    return `link-sandbox-${randomUUID()}`;
  }

  /** The public token Link hands the app after a successful log-in. */
  link(institution: Institution): LinkResult {
    const result: LinkResult = {
      publicToken: `public-sandbox-${randomUUID()}`,
      institution,
      accounts: [
        { id: randomAlnum(37), name: 'Plaid Checking', mask: '0000' },
        { id: randomAlnum(37), name: 'Plaid Saving', mask: '1111' },
      ],
    };
    this.publicTokens.set(result.publicToken, result);
    return result;
  }

  /** Public tokens are single-use, as Plaid's are. */
  exchange(publicToken: string): Item | undefined {
    const linked = this.publicTokens.take(publicToken);
    if (linked === undefined) return undefined;
    return {
      accessToken: `access-sandbox-${randomUUID()}`,
      itemId: randomAlnum(37),
      institution: linked.institution,
      accounts: linked.accounts,
    };
  }
}

// ---------- Stripe ----------

export interface PaymentIntent {
  readonly id: string;
  readonly clientSecret: string;
  readonly amount: number;
  readonly currency: string;
  readonly description: string | null;
  status: 'requires_payment_method' | 'succeeded';
  last4: string | null;
  lastPaymentError: { code: string; decline_code?: string; message: string } | null;
}

export interface CheckoutSession {
  readonly id: string;
  readonly paymentIntentId: string;
  readonly amountTotal: number;
  readonly currency: string;
  readonly description: string | null;
  readonly successUrl: string;
  readonly cancelUrl: string | null;
  status: 'open' | 'complete';
  paymentStatus: 'unpaid' | 'paid';
  customerEmail: string | null;
}

export class StripeState {
  private readonly paymentIntents = new BoundedMap<PaymentIntent>();
  private readonly checkoutSessions = new BoundedMap<CheckoutSession>();

  createPaymentIntent(input: { amount: number; currency: string; description: string | null }): PaymentIntent {
    const id = `pi_${randomAlnum(24)}`;
    const intent: PaymentIntent = {
      id,
      clientSecret: `${id}_secret_${randomAlnum(24)}`,
      ...input,
      status: 'requires_payment_method',
      last4: null,
      lastPaymentError: null,
    };
    this.paymentIntents.set(id, intent);
    return intent;
  }

  paymentIntent(id: string): PaymentIntent | undefined {
    return this.paymentIntents.get(id);
  }

  createCheckoutSession(input: {
    amount: number;
    currency: string;
    description: string | null;
    successUrl: string;
    cancelUrl: string | null;
  }): CheckoutSession {
    const intent = this.createPaymentIntent(input);
    const session: CheckoutSession = {
      id: `cs_test_${randomAlnum(40)}`,
      paymentIntentId: intent.id,
      amountTotal: input.amount,
      currency: input.currency,
      description: input.description,
      successUrl: input.successUrl,
      cancelUrl: input.cancelUrl,
      status: 'open',
      paymentStatus: 'unpaid',
      customerEmail: null,
    };
    this.checkoutSessions.set(session.id, session);
    return session;
  }

  checkoutSession(id: string): CheckoutSession | undefined {
    return this.checkoutSessions.get(id);
  }
}
