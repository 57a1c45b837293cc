import net from 'node:net';
import tls from 'node:tls';
import { HTTPParser } from 'http-parser-js';
import type { PreparedRequest } from './types.js';

/** The bytes of one request, built once per run rather than per send. */
export function encodeRequest(request: PreparedRequest, host: string): Buffer {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const lines = [`${request.method} ${request.path} HTTP/1.1`, `host: ${host}`, 'connection: keep-alive', 'user-agent: vor-watch-load'];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`content-length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body === undefined ? head : Buffer.concat([head, body]);
}

export interface ConnectionTarget {
  readonly url: URL;
  readonly caPem?: string;
}

/**
 * One keep-alive HTTP/1.1 connection, one request at a time (no pipelining), parsed with
 * http-parser-js as autocannon does. The open engine drives many of these from its schedule;
 * it is leaner per request than a general-purpose client, which is what sustaining a high
 * arrival rate on one core needs.
 */
/** Shared by all connections of a run, so a request costs no closure allocations. */
export interface ConnectionEvents {
  response(connection: Connection, status: number, intended: number): void;
  failure(connection: Connection, error: Error, intended: number): void;
}

export class Connection {
  private socket: net.Socket | undefined;
  private readonly parser = new HTTPParser(HTTPParser.RESPONSE);
  private status = 0;
  /** The intended send time of the request on the wire (open model), passed back with its answer. */
  private intended = 0;
  /** When the request now on the wire started (performance.now()), for the timeout sweep. */
  sentAt = 0;
  busy = false;

  constructor(
    private readonly target: ConnectionTarget,
    private readonly events: ConnectionEvents,
  ) {
    this.parser[HTTPParser.kOnHeadersComplete] = (info) => {
      this.status = info.statusCode;
    };
    this.parser[HTTPParser.kOnBody] = () => undefined;
    this.parser[HTTPParser.kOnMessageComplete] = () => {
      if (!this.busy) return;
      this.busy = false;
      this.events.response(this, this.status, this.intended);
    };
  }

  private connect(): net.Socket {
    const { url, caPem } = this.target;
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket =
      url.protocol === 'https:'
        ? tls.connect({ host, port, servername: net.isIP(host) === 0 ? host : undefined, ...(caPem === undefined ? {} : { ca: caPem }) })
        : net.connect({ host, port });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      const result = this.parser.execute(chunk);
      if (result instanceof Error) this.fail(result);
    });
    const lost = (error?: Error) => {
      // A socket already replaced (after a timeout) must not fail the request on its successor.
      if (this.socket !== socket) return;
      this.fail(error ?? new Error('connection closed by the server'));
    };
    socket.on('error', lost);
    socket.on('close', () => lost());
    this.parser.initialize(HTTPParser.RESPONSE);
    return socket;
  }

  /** Connects ahead of the schedule, so set-up (TLS handshakes) does not count against the first requests. */
  open(): Promise<void> {
    const socket = (this.socket ??= this.connect());
    return new Promise((resolve) => {
      socket.once(socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', () => resolve());
    });
  }

  send(bytes: Buffer, intended: number, now: number): void {
    this.busy = true;
    this.sentAt = now;
    this.intended = intended;
    this.socket ??= this.connect();
    this.socket.write(bytes);
  }

  private fail(error: Error): void {
    const wasBusy = this.busy;
    this.busy = false;
    this.socket?.destroy();
    this.socket = undefined;
    if (wasBusy) this.events.failure(this, error, this.intended);
  }

  /** Gives up on the request on the wire (the next send reconnects). */
  timeout(): void {
    this.fail(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' }));
  }

  close(): void {
    this.busy = false;
    this.socket?.destroy();
    this.socket = undefined;
  }
}
