import { z } from 'zod';
import { CHECK_IDS, isCustomCheckId, type BuiltinCheckId, type CheckId } from './catalogue.js';

/** A check id as records carry it: a built-in id of checks.md or a team's `custom.<name>`. */
export const CheckIdSchema: z.ZodType<CheckId> = z.union([
  z.enum(CHECK_IDS as [BuiltinCheckId, ...BuiltinCheckId[]]),
  z.string().refine(isCustomCheckId, { message: 'a check id of checks.md or custom.<name>' }) as z.ZodType<`custom.${string}`>,
]);
