import http from 'node:http';
import https from 'node:https';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

/** The agents for one CA bundle. */
export interface TransportAgents {
  readonly secureContext: SecureContext;
  readonly https: https.Agent;
  readonly http: http.Agent;
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

/**
 * One pair of agents per distinct CA bundle, sharing one SecureContext: given `ca`, tls.connect
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
        agents = {
          secureContext,
          // No TLS session resumption: every new connection is the full handshake a first visitor gets.
          https: new https.Agent({ keepAlive: true, maxSockets: 8, maxCachedSessions: 0, secureContext, timeout: 2_000 }),
          http: new http.Agent({ keepAlive: true, maxSockets: 8, timeout: 2_000 }),
        };
        byCa.set(key, agents);
      }
      return agents;
    },
    close() {
      for (const agents of byCa.values()) {
        agents.https.destroy();
        agents.http.destroy();
      }
      byCa.clear();
    },
  };
}
