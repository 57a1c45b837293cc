import { z } from 'zod';

/** Longest delay slowMs may ask for: a slow widget, never a hung test run. */
export const MAX_SLOW_MS = 120_000;

export const vendorFaultsSchema = z
  .object({
    plaidUnavailable: z.boolean(),
    plaidCredentialsRejected: z.boolean(),
    stripeUnavailable: z.boolean(),
    stripeDeclineAll: z.boolean(),
    slowMs: z.number().int().min(0).max(MAX_SLOW_MS),
  })
  .strict();

export type VendorFaults = z.infer<typeof vendorFaultsSchema>;

export const NO_VENDOR_FAULTS: Readonly<VendorFaults> = Object.freeze({
  plaidUnavailable: false,
  plaidCredentialsRejected: false,
  stripeUnavailable: false,
  stripeDeclineAll: false,
  slowMs: 0,
});

/**
 * The fault set after applying `next`: 'replace' starts from all-off, 'merge' from `current`.
 * Throws a ZodError naming the field when a value is out of range or unknown.
 */
export function applyVendorFaults(current: VendorFaults, next: Partial<VendorFaults>, mode: 'replace' | 'merge'): VendorFaults {
  const base = mode === 'merge' ? current : NO_VENDOR_FAULTS;
  return vendorFaultsSchema.parse({ ...base, ...next });
}
