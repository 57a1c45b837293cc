/**
 * What an answer is, before a check judges it: every check first establishes that it is looking at
 * the thing it judges (a health response, an API answer, an existing endpoint), not a catch-all
 * landing page, a 404 for everything or a blanket 429.
 */
import { headerOf, type HttpSnapshot } from '../src/net/http.js';

type Answer = Pick<HttpSnapshot, 'headers' | 'body'>;

/** An HTML document by its type or its first tag (servers that label everything text/plain included). */
export const looksLikeHtml = (answer: Answer): boolean =>
  /text\/html|application\/xhtml/i.test(headerOf(answer, 'content-type') ?? '') || /^\s*<(!doctype|html|head|body)\b/i.test(answer.body);

export const isJsonAnswer = (answer: Answer): boolean => /[/+]json\b/i.test(headerOf(answer, 'content-type') ?? '');

/** 429: the target refused to answer this client; whatever the check needed from it was not said. */
export const isRateLimited = (answer: Pick<HttpSnapshot, 'status'>): boolean => answer.status === 429;

/** The URL names nothing the server routes (or not for this method): the check is pointed at the wrong place. */
export const isMissingEndpoint = (answer: Pick<HttpSnapshot, 'status'>): boolean => [404, 405, 410, 501].includes(answer.status);

export const isRedirect = (answer: Pick<HttpSnapshot, 'status'>): boolean => answer.status >= 300 && answer.status < 400;
