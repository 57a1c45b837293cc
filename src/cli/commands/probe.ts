import type { CommandIO } from '../context.js';
import { NotImplementedError } from '../exit.js';

export function run(_options: Record<string, unknown>, _io: CommandIO): Promise<number> {
  return Promise.reject(new NotImplementedError('`probe` has not landed yet; see the README for what works today'));
}
