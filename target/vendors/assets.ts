/** The browser-side files under sdk/, read once; SDKs get their vendor's origin written in. */
import { readFileSync } from 'node:fs';

const read = (name: string): string => readFileSync(new URL(`./sdk/${name}`, import.meta.url), 'utf8');

const files = {
  plaidSdk: read('plaid-link-initialize.js'),
  plaidFrameJs: read('plaid-link-frame.js'),
  plaidCss: read('plaid-link.css'),
  stripeSdk: read('stripe-v3.js'),
  stripeFrameJs: read('stripe-element-frame.js'),
  stripeCss: read('stripe.css'),
};

export type SdkFile = keyof typeof files;

const ORIGIN_PLACEHOLDER = "'__VENDOR_ORIGIN__'";

/** The file's text; for SDKs, with their own origin in place of the placeholder. */
export function sdkFile(name: SdkFile, origin?: string): string {
  const text = files[name];
  if (origin === undefined) return text;
  if (!text.includes(ORIGIN_PLACEHOLDER)) throw new Error(`sdk/${name} has no origin placeholder`);
  return text.replace(ORIGIN_PLACEHOLDER, () => JSON.stringify(origin));
}
