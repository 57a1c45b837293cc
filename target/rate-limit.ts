/** Failed-login counters: fixed 60 s windows per (IP, email) and per IP alone (5× the limit). */

interface Bucket {
  count: number;
  resetAt: number;
}

/** One window as the RateLimit-* headers describe it. */
export interface RateWindow {
  readonly limit: number;
  readonly count: number;
  readonly resetAt: number;
}

const WINDOW_MS = 60_000;
/** Expired buckets are swept only past this many, so the map stays bounded without a timer. */
const PRUNE_ABOVE = 10_000;

export class LoginRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly perMinute: number) {}

  /** The counters one login attempt from `ip` for `email` is judged by (and, if it fails, adds to). */
  countersFor(ip: string, email: string, now: number): LoginCounters {
    this.prune(now);
    return new LoginCounters(
      { bucket: this.bucket(`${ip}|${email}`, now), limit: this.perMinute },
      { bucket: this.bucket(`${ip}|*`, now), limit: this.perMinute * 5 },
    );
  }

  clear(): void {
    this.buckets.clear();
  }

  private bucket(key: string, now: number): Bucket {
    let b = this.buckets.get(key);
    if (b === undefined || b.resetAt <= now) {
      b = { count: 0, resetAt: now + WINDOW_MS };
      this.buckets.set(key, b);
    }
    return b;
  }

  private prune(now: number): void {
    if (this.buckets.size < PRUNE_ABOVE) return;
    for (const [k, b] of this.buckets) if (b.resetAt <= now) this.buckets.delete(k);
  }
}

interface Limited {
  readonly bucket: Bucket;
  readonly limit: number;
}

export class LoginCounters {
  constructor(
    private readonly perEmail: Limited,
    private readonly perIp: Limited,
  ) {}

  get exceeded(): boolean {
    return this.perEmail.bucket.count >= this.perEmail.limit || this.perIp.bucket.count >= this.perIp.limit;
  }

  recordFailure(): void {
    this.perEmail.bucket.count++;
    this.perIp.bucket.count++;
  }

  /** The window with the fewest attempts left (the per-email one on a tie). */
  tightest(): RateWindow {
    const a = this.perEmail;
    const b = this.perIp;
    const pick = a.limit - a.bucket.count <= b.limit - b.bucket.count ? a : b;
    return { limit: pick.limit, count: pick.bucket.count, resetAt: pick.bucket.resetAt };
  }
}
