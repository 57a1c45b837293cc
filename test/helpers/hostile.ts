import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A loopback TCP server with scripted misbehaviour; close() ends every socket it holds. */
export interface HostileServer {
  readonly port: number;
  readonly url: string;
  readonly httpsUrl: string;
  connections(): number;
  close(): Promise<void>;
}

export type Behaviour = (socket: Socket, stop: AbortSignal) => void;

export async function startHostile(behaviour: Behaviour): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const stop = new AbortController();
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    behaviour(socket, stop.signal);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    httpsUrl: `https://127.0.0.1:${port}`,
    connections: () => count,
    close: async () => {
      stop.abort();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A port that refuses connections: bound once, then released. */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A host name getaddrinfo rejects locally (a 64-character label is over the DNS limit), so the DNS
 * failure is real but no packet leaves the machine.
 */
export const UNRESOLVABLE_HOST = `${'x'.repeat(64)}.invalid`;

/** Writes `chunk` every `everyMs` until the socket or the server closes. */
function drip(socket: Socket, stop: AbortSignal, chunk: () => string | Buffer, everyMs: number): void {
  const timer = setInterval(() => {
    if (stop.aborted || socket.destroyed) clearInterval(timer);
    else socket.write(chunk());
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

export const behaviours = {
  /** Accepts and never says a word. */
  silent: (): Behaviour => () => undefined,
  /** A status line, then one header byte a second (headers never complete). */
  trickleHeaders: (): Behaviour => (socket, stop) => {
    socket.write('HTTP/1.1 200 OK\r\n');
    drip(socket, stop, () => 'X', 1_000);
  },
  /** Valid headers, then one body byte a second forever. */
  trickleBody: (): Behaviour => (socket, stop) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ntransfer-encoding: chunked\r\n\r\n');
      drip(socket, stop, () => '1\r\nx\r\n', 1_000);
    });
  },
  /** Random bytes instead of an HTTP response or a TLS ServerHello. */
  garbage: (): Behaviour => (socket) => {
    socket.once('data', () => socket.end(Buffer.from('\u0000\u00ffNOT HTTP AT ALL\r\n\r\n\u0007garbage garbage garbage\r\n')));
  },
  /** A status line followed by 1 MB of headers. */
  hugeHeaders: (): Behaviour => (socket) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\n');
      const line = `X-Pad: ${'a'.repeat(1_000)}\r\n`;
      for (let i = 0; i < 1_024 && !socket.destroyed; i += 1) socket.write(line);
      socket.end('\r\n');
    });
  },
  /** Chunked body that never ends: 64 KB every 5 ms while the client reads. */
  endlessBody: (): Behaviour => (socket, stop) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ntransfer-encoding: chunked\r\n\r\n');
      const chunk = Buffer.from(`10000\r\n${'y'.repeat(0x10000)}\r\n`);
      drip(socket, stop, () => chunk, 5);
    });
  },
  /**
   * `count` harmless Set-Cookie lines, then an insecure cookie, X-Powered-By and a versioned Server:
   * what a reader that stops after its first ~1,000 headers never sees.
   */
  headerFlood:
    (count: number): Behaviour =>
    (socket) => {
      socket.once('data', () => {
        const lines = ['HTTP/1.1 200 OK'];
        for (let i = 0; i < count; i += 1) lines.push(`Set-Cookie: pad${i}=x; Secure; HttpOnly; SameSite=Lax`);
        lines.push('Set-Cookie: vor_session=abc; Path=/', 'X-Powered-By: Express', 'Server: nginx/1.18.0');
        lines.push('Content-Type: text/html', 'Content-Length: 15', 'Connection: close', '', '<!doctype html>');
        socket.end(lines.join('\r\n'));
      });
    },
  /** Every request is redirected to itself. */
  redirectLoop: (): Behaviour => (socket) => {
    socket.on('data', () => socket.write('HTTP/1.1 302 Found\r\nlocation: /again\r\ncontent-length: 0\r\n\r\n'));
  },
} as const;

/** A loopback HTTP server that answers with `handler` and keeps every request's method, path and headers. */
export interface RecordingServer {
  readonly url: string;
  readonly requests: readonly { method: string; path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startRecording(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<RecordingServer> {
  const requests: { method: string; path: string; headers: IncomingHttpHeaders }[] = [];
  const server = createHttpServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    req.resume();
    req.once('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
