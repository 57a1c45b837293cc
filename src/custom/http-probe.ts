import { resolveLocation } from '../config/profile.js';
import type { CustomCheckId } from '../core/catalogue.js';
import type { Probe, ProbeContext } from '../core/probe.js';
import { errored, fail, pass, type Finding } from '../core/result.js';
import type { Target } from '../core/target.js';
import { classifyFailure, ProbeFailure } from '../net/failure.js';
import { httpRequest } from '../net/http.js';
import { tlsEndpointOf, tlsHandshake } from '../net/tls.js';
import { evaluateAssertions, type AssertionOutcome, type CertificateFact } from './assertions.js';
import type { HttpCheckDefinition } from './settings.js';

/** The probe's own bound is this much longer than its request's, so the request's timeout is what a hung answer meets. */
const REQUEST_GRACE_MS = 1_000;
const DAY_MS = 86_400_000;

const definitionOf = (target: Target, id: CustomCheckId): HttpCheckDefinition | undefined =>
  target.checkSettings.http.find((c) => c.id === id);

/** One probe per HTTP assertion check id; it runs on the targets that define that id (each with its own definition). */
export function httpCheckProbe(id: CustomCheckId): Probe {
  return {
    name: id,
    checks: [id],
    checksFor: (target) => (definitionOf(target, id) === undefined ? [] : [id]),
    timeoutMs: (options) => options.timeoutMs + REQUEST_GRACE_MS,
    async run(ctx) {
      const check = definitionOf(ctx.target, id);
      return check === undefined ? [] : [await runHttpCheck(ctx, check)];
    },
  };
}

/** The HTTP assertion checks of these targets, one probe per id. */
export function httpCheckProbes(targets: readonly Pick<Target, 'checkSettings'>[]): Probe[] {
  return [...new Set(targets.flatMap((t) => t.checkSettings.http.map((c) => c.id)))].map(httpCheckProbe);
}

function bodyOf(body: HttpCheckDefinition['request']['body']): { body?: string; contentType?: string } {
  if (body === undefined) return {};
  if (body.text !== undefined) return { body: body.text, contentType: 'text/plain; charset=utf-8' };
  return { body: JSON.stringify(body.json), contentType: 'application/json' };
}

async function certificateOf(url: string, ctx: ProbeContext): Promise<CertificateFact> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') return { unavailable: `${parsed.origin} is not https: there is no certificate to judge` };
  const endpoint = tlsEndpointOf({ baseUrl: parsed.origin, host: parsed.hostname.replace(/^\[|\]$/g, '') });
  try {
    const [leaf] = (await tlsHandshake(endpoint, { signal: ctx.signal })).chain;
    if (leaf === undefined) return { unavailable: `${parsed.host} sent no certificate` };
    const notAfterMs = Date.parse(leaf.validTo);
    return { daysLeft: Math.floor((notAfterMs - Date.now()) / DAY_MS), notAfter: new Date(notAfterMs).toISOString() };
  } catch (error) {
    return { unavailable: `the TLS handshake with ${parsed.host} failed: ${classifyFailure(error).detail}` };
  }
}

const described = (o: AssertionOutcome): string =>
  o.note === undefined ? `${o.assertion} ${o.expected} (actual ${JSON.stringify(o.actual)})` : `${o.assertion} ${o.expected}: ${o.note}`;

/**
 * One request through the run's transport, then every assertion on its answer. Each failed assertion
 * is named in the message and every one is in the evidence (expected, actual); an answer that never
 * came is an error with the usual reasons. The finding carries the check's declared severity and items.
 */
async function runHttpCheck(ctx: ProbeContext, check: HttpCheckDefinition): Promise<Finding> {
  const declared = { severity: check.severity, checklist: check.checklist };
  const { method } = check.request;
  const url = resolveLocation(check.request.url, ctx.target);
  const request = { method, url };
  const { body, contentType } = bodyOf(check.request.body);
  const headers = Object.fromEntries(Object.entries(check.request.headers).map(([name, value]) => [name.toLowerCase(), value]));
  try {
    const snapshot = await httpRequest(ctx, url, {
      check: check.id,
      method,
      headers: { ...(contentType === undefined ? {} : { 'content-type': contentType }), ...headers, ...check.authHeaders() },
      ...(body === undefined ? {} : { body }),
      ...(check.request.followRedirects === undefined ? {} : { followRedirects: check.request.followRedirects }),
      ...(check.request.timeoutMs === undefined ? {} : { timeoutMs: check.request.timeoutMs }),
    });
    const certificate = check.assertions.some((a) => a.type === 'certificate') ? await certificateOf(snapshot.finalUrl, ctx) : undefined;
    const outcomes = evaluateAssertions(snapshot, check.assertions, certificate);
    const failed = outcomes.filter((o) => !o.passed);
    const evidence = {
      request,
      status: snapshot.status,
      responseTimeMs: Math.round(snapshot.timings.totalMs),
      ...(snapshot.redirects.length === 0 ? {} : { finalUrl: snapshot.finalUrl }),
      ...(certificate !== undefined && 'notAfter' in certificate ? { notAfter: certificate.notAfter } : {}),
      assertions: outcomes.map(({ assertion, expected, actual, passed, note }) => ({
        assertion,
        expected,
        actual,
        passed,
        ...(note === undefined ? {} : { note }),
      })),
      definedIn: check.source,
    };
    if (failed.length === 0)
      return { ...pass(check.id, `all ${outcomes.length} assertions hold on ${method} ${url}`, evidence), ...declared };
    return {
      ...fail(
        check.id,
        'assertion_failed',
        `${failed.length} of ${outcomes.length} assertions failed on ${method} ${url}: ${failed.map(described).join('; ')}`,
        evidence,
      ),
      ...declared,
    };
  } catch (error) {
    const { reason, detail } = error instanceof ProbeFailure ? { reason: error.reason, detail: error.message } : classifyFailure(error);
    const message =
      reason === 'timeout'
        ? `${method} ${url} got no answer in time (${detail})`
        : `${method} ${url} could not be evaluated: ${reason} (${detail})`;
    return { ...errored(check.id, reason, message, { request, detail, definedIn: check.source }), ...declared };
  }
}
