/**
 * Characters that steer a terminal or a reader instead of being read: C0 controls (ESC starts
 * screen-clear and window-title sequences, CR overwrites a line, LF starts a forged one), DEL, C1
 * controls (U+009B is a one-byte CSI), line separators and the bidi overrides that reorder text.
 * Tab is plain spacing and stays.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_BUT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r' };

function visible(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of text that came from a target, safe to print: every control character shown as an escape (`\x1b`, `\r`, `\n`). */
export const escapeControlChars = (text: string): string => text.replace(CONTROL, visible);

/** The same, keeping line feeds: for text whose lines are ours (a stack trace, a report message made of lines). */
export const escapeControlCharsButNewlines = (text: string): string => text.replace(CONTROL_BUT_NEWLINE, visible);

/**
 * What XML 1.0 allows (Char production: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF);
 * everything else, lone surrogates included, makes a parser reject the whole file.
 */
const XML_FORBIDDEN = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text for an XML document: forbidden characters shown as escapes, so junit.xml stays well-formed. */
export const xmlSafe = (text: string): string => text.replace(XML_FORBIDDEN, visible);
