/**
 * A site whose answers carry terminal-steering bytes: ESC sequences (screen clear, OSC window title),
 * CR/LF that forge a line, C1 controls and a bidi override, in the Server header and in the health
 * JSON's dependency names. Raw TLS, so the bytes go out exactly as written (node:http refuses them).
 */
import { createServer, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { loadLocalCa } from '../../target/ca.js';

/** The line the target tries to forge on the operator's terminal. */
export const FORGED_LINE = 'FAKE: GO';

/**
 * C1 CSI (0x9B), OSC (0x9D) and ST (0x9C), one byte each on the wire: an HTTP parser takes them as
 * obs-text (ESC itself it refuses in a header), and a terminal that honours C1 clears the screen.
 */
const SERVER_HEADER = 'nginx/1.25.3 \x9b2J\x9d0;pwned\x9c';

const HEALTH_JSON = JSON.stringify({
  status: 'ok',
  dependencies: {
    [`db\x1b[2J\x1b[H\x1b]0;owned\x07\r\n${FORGED_LINE}\r\n`]: 'down',
    '\u009b31mredis\u202e': 'down',
    [`queue\r${FORGED_LINE}`]: 'down',
  },
});

const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hi</title></head><body><h1>Hi</h1></body></html>';

function answer(socket: TLSSocket, head: string): void {
  const path = /^[A-Z]+ (\S+)/.exec(head)?.[1] ?? '/';
  const json = path.startsWith('/health');
  const body = Buffer.from(json ? HEALTH_JSON : PAGE, 'utf8');
  const headers = [
    'HTTP/1.1 200 OK',
    `Server: ${SERVER_HEADER}`,
    `Content-Type: ${json ? 'application/json' : 'text/html; charset=utf-8'}`,
    `Content-Length: ${body.length}`,
    'Connection: close',
  ];
  socket.end(Buffer.concat([Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1'), head.startsWith('HEAD ') ? Buffer.alloc(0) : body]));
}

export interface ControlBytesSite {
  readonly baseUrl: string;
  readonly caFile: string;
  close(): Promise<void>;
}

export async function startControlBytesSite(): Promise<ControlBytesSite> {
  const ca = loadLocalCa();
  const certificate = ca.issue({ hosts: ['127.0.0.1', 'localhost'] });
  const sockets = new Set<TLSSocket>();
  const server = createServer({ key: certificate.keyPem, cert: certificate.chainPem }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.length > 65_536) socket.destroy();
      else if (received.includes('\r\n\r\n')) answer(socket, received);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `https://127.0.0.1:${port}`,
    caFile: ca.caFile,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
