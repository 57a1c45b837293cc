/**
 * The app profile: everything vor-watch needs to know about the app it guards (pages, elements, API
 * shapes, success markers). Every field is optional and defaults to the reference target's value, so
 * an empty profile describes `target/`. README "Point it at your app" documents it field by field.
 */
import { z } from 'zod';

/** Text to match: a plain string (exact, case-sensitive) or a regular expression written `/…/flags`. */
const TextMatch = z.string().min(1);

const LOCATOR_KINDS = ['role', 'label', 'placeholder', 'text', 'testId', 'title'] as const;

export interface LocatorSpec {
  readonly role?: string;
  readonly name?: string;
  readonly exact?: boolean;
  readonly label?: string;
  readonly placeholder?: string;
  readonly text?: string;
  readonly testId?: string;
  readonly title?: string;
  /** Look only inside this element (e.g. the page's `main` or `navigation` landmark). */
  readonly within?: LocatorSpec;
  /** Several match: take the first. */
  readonly first?: boolean;
  /** Or this one (whichever the page has). */
  readonly or?: LocatorSpec;
}

/**
 * One element, located the way Playwright recommends: by role and accessible name, label, placeholder,
 * text, test id or (for iframes) title. Never CSS.
 */
export const LocatorSchema: z.ZodType<LocatorSpec> = z.lazy(() =>
  z
    .object({
      role: z
        .string()
        .regex(/^[a-z]+$/, 'must be an ARIA role such as button, link, textbox, heading')
        .optional(),
      name: TextMatch.optional(),
      exact: z.boolean().optional(),
      label: TextMatch.optional(),
      placeholder: TextMatch.optional(),
      text: TextMatch.optional(),
      testId: TextMatch.optional(),
      title: TextMatch.optional(),
      within: LocatorSchema.optional(),
      first: z.boolean().optional(),
      or: LocatorSchema.optional(),
    })
    .strict()
    .refine((spec) => LOCATOR_KINDS.filter((kind) => spec[kind] !== undefined).length === 1, {
      message: `give exactly one of ${LOCATOR_KINDS.join(', ')} (e.g. { role: button, name: "/pay/i" })`,
    })
    .refine((spec) => spec.name === undefined || spec.role !== undefined, { message: '`name` goes with `role`' }),
);

/** What success looks like: the URL matches a pattern, or a text becomes visible (or both). */
export const MarkerSchema = z
  .object({
    url: TextMatch.optional(),
    text: TextMatch.optional(),
  })
  .strict()
  .refine((m) => m.url !== undefined || m.text !== undefined, { message: 'give `url` (a pattern) or `text`' });

const path = z.string().startsWith('/', 'must be a path starting with /');
/**
 * Where a request goes: a path on the site ("/login"), a path under the API base ("{api}/export"), or an
 * absolute http(s):// URL (another host).
 */
const PathOrUrl = z
  .string()
  .refine((v) => v.startsWith('/') || v.startsWith('{api}/') || (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)), {
    message: 'must be a site path (/…), an API path ({api}/…) or an absolute http(s):// URL',
  });
const method = z
  .string()
  .regex(/^[A-Z]+$/, 'must be an upper-case HTTP method')
  .default('POST');
const Encoding = z.enum(['json', 'form']);

const loc = (spec: LocatorSpec) => LocatorSchema.default(spec);

export const PagesSchema = z
  .object({
    landing: path.default('/'),
    signIn: path.default('/login'),
    register: path.default('/signup'),
    dashboard: path.default('/dashboard'),
    connectBank: path.default('/link-bank'),
    billing: path.default('/billing'),
    settings: path.default('/settings'),
    privacy: path.default('/privacy'),
    terms: path.default('/terms'),
  })
  .strict();

const main = { role: 'main' } as const;

export const SignInSchema = z
  .object({
    email: loc({ label: '/e-?mail/i', within: main }),
    password: loc({ label: '/password/i', within: main }),
    submit: loc({ role: 'button', name: '/^(log ?in|sign in)$/i', within: main }),
    /** Shown after a wrong password. */
    error: loc({ role: 'alert', within: main }),
    /** What "signed in" looks like after submitting. */
    signedIn: MarkerSchema.default({ url: '/\\/dashboard/' }),
  })
  .strict();

export const RegisterSchema = z
  .object({
    /** null: the form has no name field. */
    name: LocatorSchema.nullable().default({ label: '/^name$/i', within: main }),
    email: loc({ label: '/e-?mail/i', within: main }),
    password: loc({ label: '/password/i', within: main }),
    submit: loc({ role: 'button', name: '/sign up|create (my )?account|register/i', within: main }),
    /** After submitting: signed in, or (apps with e-mail verification) a "check your inbox" page. */
    done: MarkerSchema.default({ url: '/\\/dashboard/' }),
  })
  .strict();

export const DashboardSchema = z
  .object({
    heading: loc({ role: 'heading', within: main, first: true }),
    /** One match per bank account shown. */
    accounts: loc({ text: '/••\\d{2,4}/', within: main }),
    /** One match per transaction shown. */
    transactions: loc({ role: 'row', name: '/\\d/', within: { role: 'table', within: main, first: true } }),
  })
  .strict();

export const ConnectBankSchema = z
  .object({
    start: loc({ role: 'button', name: '/link a bank/i' }),
    /** The iframe the bank-link widget runs in (Plaid Link: title "Plaid Link"); null = in the page itself. */
    frame: LocatorSchema.nullable().default({ title: 'Plaid Link' }),
    /** Steps inside the widget; null skips a step the widget does not have. */
    consent: LocatorSchema.nullable().default({ role: 'button', name: 'Continue' }),
    search: LocatorSchema.nullable().default({ placeholder: 'Search' }),
    institution: z.string().min(1).default('First Platypus Bank'),
    username: loc({ label: 'Username' }),
    password: loc({ label: 'Password' }),
    /** Plaid's public sandbox credentials (not secrets). */
    sandboxUsername: z.string().default('user_good'),
    sandboxPassword: z.string().default('pass_good'),
    submit: loc({ role: 'button', name: 'Submit' }),
    success: loc({ role: 'heading', name: 'Success' }),
    finish: LocatorSchema.nullable().default({ role: 'button', name: 'Continue' }),
    /** Back in the app: the linked account shows here (the dashboard). */
    linked: MarkerSchema.default({ url: '/\\/dashboard/' }),
  })
  .strict();

const CardField = z.object({ frame: LocatorSchema.nullable().default(null), field: LocatorSchema }).strict();

export const PaymentSchema = z
  .object({
    /** elements: card fields in the vendor's iframes on the billing page; checkout: a hosted page on another origin. */
    mode: z.enum(['elements', 'checkout']).default('elements'),
    /** checkout: the button that leaves for the hosted page. */
    start: LocatorSchema.nullable().default(null),
    email: LocatorSchema.nullable().default(null),
    cardNumber: CardField.default({
      frame: { title: 'Secure card number input frame' },
      field: { placeholder: '1234 1234 1234 1234' },
    }),
    expiry: CardField.default({ frame: { title: 'Secure expiration date input frame' }, field: { placeholder: 'MM / YY' } }),
    cvc: CardField.default({ frame: { title: 'Secure CVC input frame' }, field: { placeholder: 'CVC' } }),
    cardholder: LocatorSchema.nullable().default(null),
    /** The reference target also offers "Pay with Checkout": the Elements button is "Pay $12.00". */
    pay: loc({ role: 'button', name: '/^pay(?! with)/i', within: main }),
    testCard: z.string().default('4242 4242 4242 4242'),
    expiryValue: z.string().default('12 / 34'),
    cvcValue: z.string().default('123'),
    /** After paying. */
    success: MarkerSchema.default({ url: '/paid=/' }),
    /** The payment in the app's history, once paid; null: the app shows none. */
    history: LocatorSchema.nullable().default({ role: 'row', name: '/succeeded/i', within: main, first: true }),
  })
  .strict();

export const SettingsSchema = z
  .object({
    export: loc({ role: 'link', name: '/download my data|export/i', within: main }),
    deleteConfirmation: LocatorSchema.nullable().default({ label: '/confirm/i', within: main }),
    /** What to type into the confirmation; `{email}` is the user's e-mail address. */
    deleteConfirmationValue: z.string().default('DELETE'),
    delete: loc({ role: 'button', name: '/delete (my )?account/i', within: main }),
    deleted: MarkerSchema.default({ url: '/deleted=1/' }),
    logout: loc({ role: 'button', name: '/log ?out|sign out/i', within: { role: 'navigation' } }),
    signedOut: MarkerSchema.default({ url: '/\\/login/' }),
  })
  .strict();

export const LegalSchema = z
  .object({
    /** Links in the page footer (the consent banner's own links do not count). */
    privacyLink: loc({ role: 'link', name: '/privacy/i', within: { role: 'contentinfo' }, first: true }),
    termsLink: loc({ role: 'link', name: '/terms/i', within: { role: 'contentinfo' }, first: true }),
    consentBanner: loc({ role: 'dialog', name: '/cookie|consent/i', or: { role: 'region', name: '/cookie|consent/i' } }),
    acceptCookies: loc({ role: 'button', name: '/accept/i' }),
    /**
     * Strictly necessary cookies the app sets before consent, besides those whose names say so (session,
     * sid, csrf, xsrf, consent, locale…): e.g. a pre-session CSRF cookie with another name.
     */
    essentialCookies: z.array(z.string().min(1)).default([]),
  })
  .strict();

const RequestSchema = (defaults: { url: string; method: string; encoding: 'json' | 'form' }) =>
  z
    .object({
      url: PathOrUrl.default(defaults.url),
      method: method.default(defaults.method),
      encoding: Encoding.default(defaults.encoding),
      /** Body fields (form encoding sends them as strings). */
      body: z.record(z.string(), z.unknown()).default({}),
    })
    .strict();

export const LoginRequestSchema = z
  .object({
    /** --login-url / VOR_LOGIN_URL wins over this. */
    url: PathOrUrl.default('{api}/auth/login'),
    method: method,
    encoding: Encoding.default('json'),
    emailField: z.string().min(1).default('email'),
    passwordField: z.string().min(1).default('password'),
  })
  .strict();

export const CsrfSchema = z
  .object({
    /** cookie: a cookie echoed in a header (double submit); meta: a <meta> tag's content sent in a header; none. */
    mode: z.enum(['cookie', 'meta', 'none']).default('cookie'),
    cookie: z.string().min(1).default('vor_csrf'),
    meta: z.string().min(1).default('csrf-token'),
    header: z.string().min(1).default('x-csrf-token'),
    /** Fetched first to obtain the cookie (cookie mode) or the page holding the <meta> tag (meta mode). */
    source: PathOrUrl.default('{api}/auth/csrf'),
  })
  .strict();

export const ApiSchema = z
  .object({
    login: LoginRequestSchema.default(LoginRequestSchema.parse({})),
    csrf: CsrfSchema.default(CsrfSchema.parse({})),
    /** Path on the site or an absolute URL on another host (probes.healthPath is the older spelling). */
    health: PathOrUrl.optional(),
    /** The query endpoint exposure.error_leak sends odd input to, and its parameter. */
    query: z
      .object({ url: PathOrUrl.default('{api}/search'), param: z.string().min(1).default('q') })
      .strict()
      .default({ url: '{api}/search', param: 'q' }),
    /** The state-changing request csrf.protection replays without its token. */
    csrfProbe: RequestSchema({ url: '{api}/billing/payment_intents', method: 'POST', encoding: 'json' }).default({
      url: '{api}/billing/payment_intents',
      method: 'POST',
      encoding: 'json',
      body: { amount_cents: 1200, description: 'vor-watch csrf probe' },
    }),
    /** The session cookie's name (a target's sessionCookie or --session-cookie wins); unset: found by checks.md's rule. */
    sessionCookie: z.string().min(1).optional(),
    /** An authenticated read: a signed-out or deleted session must not get data from it. */
    authenticatedRead: PathOrUrl.default('{api}/export'),
  })
  .strict();

export const AppProfileSchema = z
  .object({
    pages: PagesSchema.default(PagesSchema.parse({})),
    signIn: SignInSchema.default(SignInSchema.parse({})),
    register: RegisterSchema.default(RegisterSchema.parse({})),
    dashboard: DashboardSchema.default(DashboardSchema.parse({})),
    connectBank: ConnectBankSchema.default(ConnectBankSchema.parse({})),
    payment: PaymentSchema.default(PaymentSchema.parse({})),
    settings: SettingsSchema.default(SettingsSchema.parse({})),
    legal: LegalSchema.default(LegalSchema.parse({})),
    api: ApiSchema.default(ApiSchema.parse({})),
  })
  .strict();

export type AppProfile = z.infer<typeof AppProfileSchema>;
export type Marker = z.infer<typeof MarkerSchema>;
export type LoginRequest = z.infer<typeof LoginRequestSchema>;
export type CsrfSettings = z.infer<typeof CsrfSchema>;
export const DEFAULT_APP_PROFILE: AppProfile = AppProfileSchema.parse({});

/** `/…/flags` is a regular expression; anything else matches exactly. */
export function textMatcher(text: string): string | RegExp {
  const regex = /^\/(.+)\/([dgimsuy]*)$/s.exec(text);
  return regex === null ? text : new RegExp(regex[1]!, regex[2]);
}

/** A URL pattern matches anywhere in the URL: `/…/flags` as a regex, otherwise as a plain substring. */
export function urlMatcher(pattern: string): RegExp {
  const matcher = textMatcher(pattern);
  return typeof matcher === 'string' ? new RegExp(matcher.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : matcher;
}

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the NAME of an environment variable (the value stays out of files)');

/** A pre-provisioned account; its e-mail and password come from the environment variables named here. */
export const ExistingUserSchema = z
  .object({ emailEnv: envName.default('VOR_TEST_USER_EMAIL'), passwordEnv: envName.default('VOR_TEST_USER_PASSWORD') })
  .strict();

/** A dotted path into a JSON response, e.g. `account.login`. */
const jsonPath = z.string().regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'must be a dotted JSON path such as account.id');

export const ThrowawayUsersSchema = z.discriminatedUnion('source', [
  /** Sign up through the app's own API (the reference target's way). Needs allowSignupOnProduction on production. */
  z
    .object({
      source: z.literal('signup-api'),
      url: PathOrUrl.default('{api}/auth/signup'),
      method: method,
      encoding: Encoding.default('json'),
      /** The sign-up body's field names (null: the app asks for no name). */
      nameField: z.string().min(1).nullable().default('name'),
      emailField: z.string().min(1).default('email'),
      passwordField: z.string().min(1).default('password'),
      /** Removes the signed-in user afterwards. */
      delete: RequestSchema({ url: '{api}/account', method: 'DELETE', encoding: 'json' }).default({
        url: '{api}/account',
        method: 'DELETE',
        encoding: 'json',
        body: { confirm: 'DELETE' },
      }),
    })
    .strict(),
  /** A test-support endpoint of the app creates a ready (verified) user and deletes it by id. */
  z
    .object({
      source: z.literal('endpoint'),
      create: z
        .object({
          url: PathOrUrl,
          method: method,
          /** The bearer token's environment variable. */
          tokenEnv: envName.optional(),
          body: z.record(z.string(), z.unknown()).default({}),
        })
        .strict(),
      /** Where the created user's id, e-mail and password sit in the endpoint's JSON answer. */
      /** Where the created user's id, e-mail and password sit in the endpoint's JSON answer. */
      response: z
        .object({ idPath: jsonPath.default('id'), emailPath: jsonPath.default('email'), passwordPath: jsonPath.default('password') })
        .strict()
        .default({ idPath: 'id', emailPath: 'email', passwordPath: 'password' }),
      /** `{id}` is replaced by the created user's id. */
      delete: z.object({ url: PathOrUrl, method: method.default('DELETE') }).strict(),
    })
    .strict(),
  /** The team's own module exporting createUser() and deleteUser(user) (path relative to the config file). */
  z.object({ source: z.literal('hook'), module: z.string().min(1) }).strict(),
  z.object({ source: z.literal('none') }).strict(),
]);

export const TestUsersSchema = z
  .object({
    /** null: no pre-provisioned account (flows that need one skip, naming this setting). */
    existing: ExistingUserSchema.nullable().default(ExistingUserSchema.parse({})),
    throwaway: ThrowawayUsersSchema.default({
      source: 'signup-api',
      url: '{api}/auth/signup',
      method: 'POST',
      encoding: 'json',
      nameField: 'name',
      emailField: 'email',
      passwordField: 'password',
      delete: { url: '{api}/account', method: 'DELETE', encoding: 'json', body: { confirm: 'DELETE' } },
    }),
    /** On a production target nothing signs up through the public form or API unless this is true. */
    allowSignupOnProduction: z.boolean().default(false),
  })
  .strict();

export type TestUsers = z.infer<typeof TestUsersSchema>;
export type ThrowawayUsers = z.infer<typeof ThrowawayUsersSchema>;
export const DEFAULT_TEST_USERS: TestUsers = TestUsersSchema.parse({});

const PRODUCTION_NAMES = /^(prod|production|prd|live)$/i;

/** Production by an explicit flag, or by its environment's or its own name (prod, production, prd, live; any case). */
export function isProductionTarget(target: {
  production?: boolean | undefined;
  environment?: string | undefined;
  name?: string | undefined;
}): boolean {
  if (target.production !== undefined) return target.production;
  return [target.environment, target.name].some((n) => n !== undefined && PRODUCTION_NAMES.test(n.trim()));
}

/** Resolves a profile location (site path, `{api}/…` path, or absolute URL) against the target. */
export function resolveLocation(location: string, bases: { baseUrl: string; apiUrl: string }): string {
  if (location.startsWith('{api}/')) return `${bases.apiUrl}${location.slice('{api}'.length)}`;
  if (location.startsWith('/')) return `${bases.baseUrl}${location}`;
  return location;
}
