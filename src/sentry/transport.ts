import type { ClientRequest } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { makeNodeTransport } from '@sentry/node';

type NodeTransportOptions = Parameters<typeof makeNodeTransport>[0];
type HttpModule = NonNullable<NodeTransportOptions['httpModule']>;

/** No envelope waits longer than this for the ingest: a silent ingest must not hold sockets (or the process) open. */
export const SEND_TIMEOUT_MS = 5_000;

export interface BoundedTransport {
  readonly make: typeof makeNodeTransport;
  /** Ends every request still in flight (shutdown: whatever the ingest did not answer by now is dropped). */
  destroyAll(): void;
}

/**
 * Sentry's Node transport, with a deadline on every request and a handle on the ones in flight.
 * The SDK's own agent only sets a socket timeout that nobody acts on, so a server that accepts
 * and never answers kept its sockets, and the event loop, open for good.
 */
export function boundedTransport(sendTimeoutMs = SEND_TIMEOUT_MS): BoundedTransport {
  const inFlight = new Set<ClientRequest>();
  const httpModule: HttpModule = {
    request(options, callback) {
      // The SDK always passes an options object; a URL form is read as one.
      const fields: https.RequestOptions =
        typeof options === 'string' || options instanceof URL ? urlToHttpOptions(new URL(options)) : options;
      const module = fields.protocol === 'https:' ? https : http;
      const request = module.request({ ...fields, signal: AbortSignal.timeout(sendTimeoutMs) }, callback);
      inFlight.add(request);
      request.once('close', () => inFlight.delete(request));
      return request;
    },
  };
  return {
    make: (options) => makeNodeTransport({ ...options, httpModule }),
    destroyAll() {
      for (const request of inFlight) request.destroy();
      inFlight.clear();
    },
  };
}
