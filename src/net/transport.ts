import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { createSecureContext, rootCertificates, TLSSocket, type SecureContext } from 'node:tls';

/** The agents for one CA bundle. */
export interface TransportAgents {
  readonly secureContext: SecureContext;
  readonly https: https.Agent;
  readonly http: http.Agent;
  /** No keep-alive: every request opens its own connection (and, for HTTPS, makes a full handshake). */
  readonly freshHttps: https.Agent;
  readonly freshHttp: http.Agent;
}

/**
 * The probes' HTTP transport, owned by whoever runs them (a session, a monitor, one runProbes call)
 * and closed by it, so that a short-lived command can exit at once and nothing outlives its run.
 */
export interface HttpTransport {
  /** The agents for a target's extra CA (undefined: the system roots only). */
  agentsFor(caPem: string | undefined): TransportAgents;
  /** Destroys every agent and its sockets; a later request starts afresh. */
  close(): void;
}

const detailedPeerCertificate = TLSSocket.prototype.getPeerCertificate;

/**
 * node's TLS client checks the server's host name on `getPeerCertificate(true)`, which turns the
 * whole served chain into JS objects: about 1 ms of CPU per handshake, a quarter of a fresh HTTPS
 * probe. `tls.checkServerIdentity` reads only the leaf's subject and subjectaltname, which the
 * leaf-only certificate carries alike, so for that one call the leaf alone gives the same verdict;
 * any later caller gets the real method again.
 */
export function checkIdentityOnLeafOnly(socket: TLSSocket): void {
  const restore = (): void => {
    delete (socket as Partial<Pick<TLSSocket, 'getPeerCertificate'>>).getPeerCertificate;
  };
  socket.getPeerCertificate = function leafForIdentityCheck(this: TLSSocket) {
    restore();
    return detailedPeerCertificate.call(this, false);
  } as TLSSocket['getPeerCertificate'];
  socket.once('secureConnect', restore);
}

/** An https.Agent whose connections check the host name on the leaf certificate alone. */
class LeafIdentityAgent extends https.Agent {
  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void) {
    const socket = super.createConnection(options, callback);
    if (socket instanceof TLSSocket) checkIdentityOnLeafOnly(socket);
    return socket;
  }
}

/**
 * One set of agents per distinct CA bundle, sharing one SecureContext: given `ca`, tls.connect
 * parses the ~140 system roots again on every connection (about 20 ms of CPU each); a shared
 * context does it once. node:https rather than undici: measured, it costs ~0.5 ms less CPU per
 * fresh TLS connection, which is most of a probe (bench/probe.ts).
 */
export function createHttpTransport(): HttpTransport {
  const byCa = new Map<string, TransportAgents>();
  return {
    agentsFor(caPem) {
      const key = caPem ?? '';
      let agents = byCa.get(key);
      if (agents === undefined) {
        const secureContext = createSecureContext({ ca: caPem === undefined ? [...rootCertificates] : [...rootCertificates, caPem] });
        // No TLS session resumption: every new connection is the full handshake a first visitor gets.
        agents = {
          secureContext,
          https: new LeafIdentityAgent({ keepAlive: true, maxSockets: 8, maxCachedSessions: 0, secureContext, timeout: 2_000 }),
          http: new http.Agent({ keepAlive: true, maxSockets: 8, timeout: 2_000 }),
          freshHttps: new LeafIdentityAgent({ keepAlive: false, maxCachedSessions: 0, secureContext }),
          freshHttp: new http.Agent({ keepAlive: false }),
        };
        byCa.set(key, agents);
      }
      return agents;
    },
    close() {
      for (const agents of byCa.values()) {
        for (const agent of [agents.https, agents.http, agents.freshHttps, agents.freshHttp]) agent.destroy();
      }
      byCa.clear();
    },
  };
}
