import { WriteStream } from 'node:tty';
import * as util from 'node:util';
import type { Status } from '../core/result.js';

type Format = Parameters<typeof util.styleText>[0];

/**
 * Whether output may carry colour, the way node itself decides: FORCE_COLOR (0 off; 1, 2, 3 or empty
 * on, terminal or not) first, then no colour off a terminal, then NO_COLOR, NODE_DISABLE_COLORS and
 * TERM=dumb on one (node's tty hasColors reads all of them from the env it is given).
 */
export function colourEnabled(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const hasColors = (environment: NodeJS.ProcessEnv) => WriteStream.prototype.hasColors.call(WriteStream.prototype, 16, environment);
  if (env.FORCE_COLOR !== undefined) return hasColors({ FORCE_COLOR: env.FORCE_COLOR });
  return isTTY && hasColors(env);
}

export type Paint = (format: Format, text: string) => string;

/** Styles text with node's util.styleText when colour is on; plain text otherwise (and on a node without styleText). */
export function painter(enabled: boolean): Paint {
  const styleText = (util as { styleText?: typeof util.styleText }).styleText;
  // validateStream off: whether to colour was decided above, for the stream the text goes to, not for process.stdout.
  return enabled && styleText !== undefined
    ? (format, text) => styleText(format, text, { validateStream: false })
    : (_format, text) => text;
}

export const STATUS_FORMAT: Readonly<Record<Status, Format>> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  error: 'magenta',
  skip: 'gray',
};
