/** One Set-Cookie line, as far as the cookie checks care. */
export interface SetCookie {
  readonly name: string;
  readonly value: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  /** Lower-case value of SameSite, or undefined when the attribute is absent. */
  readonly sameSite?: string;
  readonly maxAgeSeconds?: number;
  readonly expires?: Date;
}

export function parseSetCookie(line: string): SetCookie | undefined {
  const [pair, ...attributes] = line.split(';');
  const eq = pair?.indexOf('=') ?? -1;
  if (pair === undefined || eq <= 0) return undefined;
  const cookie: { -readonly [K in keyof SetCookie]: SetCookie[K] } = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    secure: false,
    httpOnly: false,
  };
  for (const attribute of attributes) {
    const [rawKey = '', ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'secure') cookie.secure = true;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'samesite') cookie.sameSite = value.toLowerCase();
    else if (key === 'max-age' && /^-?\d+$/.test(value)) cookie.maxAgeSeconds = Number(value);
    else if (key === 'expires' && !Number.isNaN(Date.parse(value))) cookie.expires = new Date(value);
  }
  return cookie;
}

/** How long the cookie lives from `now`; undefined for a browser-session cookie (no Max-Age/Expires). */
export function cookieLifetimeSeconds(cookie: SetCookie, now: Date): number | undefined {
  if (cookie.maxAgeSeconds !== undefined) return cookie.maxAgeSeconds;
  if (cookie.expires !== undefined) return Math.round((cookie.expires.getTime() - now.getTime()) / 1000);
  return undefined;
}
