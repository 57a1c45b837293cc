import { X509Certificate } from 'node:crypto';
import { pemCertificateBlocks } from '../net/tls.js';

/**
 * Why a CA bundle's text is no usable set of certificates: none in it, or a block that does not
 * parse (broken base64, a truncated copy). TLS would otherwise take the bundle without a word and
 * fail every handshake later with a verification error that never names the file.
 */
export function caPemProblem(text: string, file: string): string | undefined {
  const blocks = pemCertificateBlocks(text);
  if (blocks.length === 0) return `${file} holds no PEM certificate`;
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      return `${file}: certificate ${index + 1} of ${blocks.length} cannot be read (${(error as Error).message})`;
    }
  }
  return undefined;
}
