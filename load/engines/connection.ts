import net from 'node:net';
import tls from 'node:tls';
import { HTTPParser } from 'http-parser-js';
import type { LoadRecorder } from '../sample.js';
import type { EngineOptions, PreparedRequest } from './types.js';

/** The bytes of one request, built once per run rather than per send. */
export interface EncodedRequest {
  readonly bytes: Buffer;
  /** The answer to HEAD has no body, whatever its headers say. */
  readonly head: boolean;
}

export function encodeRequest(request: PreparedRequest, host: string): EncodedRequest {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const lines = [`${request.method} ${request.path} HTTP/1.1`, `host: ${host}`, 'connection: keep-alive', 'user-agent: vor-watch-load'];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`content-length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return { bytes: body === undefined ? head : Buffer.concat([head, body]), head: request.method.toUpperCase() === 'HEAD' };
}

/** Every request of the run, encoded for its origin. */
export function encodeRequests(options: Pick<EngineOptions, 'origin' | 'requests'>): EncodedRequest[] {
  const { host } = new URL(options.origin);
  return options.requests.map((r) => encodeRequest(r, host));
}

/**
 * One read buffer for every plain-TCP connection: reads are handled one at a time on this thread
 * and http-parser-js copies what it keeps of a read (header lines, as strings) before returning,
 * so no read allocates (socket `onread`).
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

export interface ConnectionTarget {
  readonly url: URL;
  readonly caPem?: string;
}

/** Shared by all connections of a run, so a request costs no closure allocations. */
export interface ConnectionEvents {
  /** `sentFor` is what the request was sent with: its intended send time (open model) or actual one (closed). */
  response(connection: Connection, status: number, sentFor: number): void;
  failure(connection: Connection, error: Error, sentFor: number): void;
}

/**
 * One keep-alive HTTP/1.1 connection, one request at a time (no pipelining), parsed with
 * http-parser-js as autocannon does. Both engines drive these: the open one from its schedule, the
 * closed one from each answer. It is leaner per request than a general-purpose client (no per-read
 * buffer, no stream events per response, no timer per request), which is what sustaining a high
 * rate on one core needs.
 */
export class Connection {
  private socket: net.Socket | undefined;
  private readonly parser = new HTTPParser(HTTPParser.RESPONSE);
  private status = 0;
  private keepAlive = true;
  /** The answer to HEAD has no body, whatever its headers say. */
  private headRequest = false;
  private sentFor = 0;
  /** When the request now on the wire started (performance.now()), for the timeout sweep. */
  sentAt = 0;
  busy = false;
  /** Requests sent on this connection (the closed model's virtual user walks its scenario by it). */
  sent = 0;
  /** The most requests this connection sends: the closed model shares its request cap out. */
  limit = Number.POSITIVE_INFINITY;

  constructor(
    private readonly target: ConnectionTarget,
    private readonly events: ConnectionEvents,
  ) {
    this.parser[HTTPParser.kOnHeadersComplete] = (info) => {
      this.status = info.statusCode;
      this.keepAlive = info.shouldKeepAlive;
      // true = no body (HEAD, 1xx, 204, 304): the parser would otherwise wait for one until the close.
      return this.headRequest || info.statusCode < 200 || info.statusCode === 204 || info.statusCode === 304 ? 1 : 0;
    };
    this.parser[HTTPParser.kOnBody] = () => undefined;
    this.parser[HTTPParser.kOnMessageComplete] = () => this.answered(this.status, !this.keepAlive);
  }

  private answered(status: number, closes: boolean): void {
    if (closes) {
      // The server is done with this connection: the next request goes on a new one.
      this.socket?.destroy();
      this.socket = undefined;
    }
    if (!this.busy) return;
    this.busy = false;
    this.events.response(this, status, this.sentFor);
  }

  private read(socket: net.Socket, bytes: Buffer, length: number): void {
    // A socket already replaced (after a timeout) must not answer for its successor.
    if (this.socket !== socket) return;
    const result = this.parser.execute(bytes, 0, length);
    if (result instanceof Error) this.fail(result);
  }

  private connect(): net.Socket {
    const { url, caPem } = this.target;
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let socket: net.Socket;
    if (url.protocol === 'https:') {
      socket = tls.connect({
        host,
        port,
        servername: net.isIP(host) === 0 ? host : undefined,
        ...(caPem === undefined ? {} : { ca: caPem }),
      });
      socket.on('data', (chunk: Buffer) => this.read(socket, chunk, chunk.length));
    } else {
      const callback = (length: number, bytes: Uint8Array): boolean => {
        this.read(socket, bytes as Buffer, length);
        return true;
      };
      socket = net.connect({ host, port, noDelay: true, onread: { buffer: READ_BUFFER, callback } });
    }
    socket.setNoDelay(true);
    socket.on('error', (error: Error) => {
      if (this.socket === socket) this.fail(error);
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      // A body that runs to the close is complete now (the parser answers); anything else on the wire is lost.
      this.parser.finish();
      // The answer may have sent the next request at once, on a new socket: that one is not lost.
      if (this.busy && this.socket === undefined)
        this.fail(Object.assign(new Error('connection closed by the server before its answer'), { code: 'ECONNRESET' }));
    });
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

  send(request: EncodedRequest, sentFor: number, now: number): void {
    this.busy = true;
    this.sent += 1;
    this.sentAt = now;
    this.sentFor = sentFor;
    this.headRequest = request.head;
    this.socket ??= this.connect();
    this.socket.write(request.bytes);
  }

  private fail(error: Error): void {
    const wasBusy = this.busy;
    this.busy = false;
    this.socket?.destroy();
    this.socket = undefined;
    if (wasBusy) this.events.failure(this, error, this.sentFor);
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

/** Times out requests left unanswered for `timeoutMs`, checked every 100 ms. */
export function sweepTimeouts(connections: readonly Connection[], timeoutMs: number): NodeJS.Timeout {
  return setInterval(() => {
    const now = performance.now();
    for (const c of connections) if (c.busy && now - c.sentAt > timeoutMs) c.timeout();
  }, 100);
}

/** The run's connections to its origin, not yet connected (the first send or open() connects). */
export function connectionsFor(options: EngineOptions, events: ConnectionEvents): Connection[] {
  const target = { url: new URL(options.origin), ...(options.caPem === undefined ? {} : { caPem: options.caPem }) };
  return Array.from({ length: options.connections }, () => new Connection(target, events));
}

/** A request without an answer: a timeout is timed from `since` (intended or actual send), anything else is not timed. */
export function recordFailure(recorder: LoadRecorder, error: Error, since: number): void {
  if ((error as { code?: string }).code === 'ETIMEDOUT') recorder.record(performance.now() - since, 'timeout', true);
  else recorder.recordError(error);
}
