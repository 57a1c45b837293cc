/**
 * What an answer is, before a check judges it: every check first establishes that it is looking at
 * the thing it judges (a health response, an API answer, an existing endpoint), not a catch-all
 * landing page, a 404 for everything or a blanket 429.
 */
import { headerOf, type HttpSnapshot } from '../src/net/http.js';

type Answer = Pick<HttpSnapshot, 'headers' | 'body'>;

/** Tags an HTML document or a framework's error page opens with (Django's bare 404 is `<h1>Not Found</h1>…`). */
const DOCUMENT_START = /^[\s\uFEFF]*(?:<!--[\s\S]*?-->[\s\uFEFF]*)*<(?:!doctype|html|head|body|title|meta|h[1-6]|p|div|pre|center)\b/i;

/**
 * An HTML document by its body, whatever its type: Express `res.send('ok')`, Flask `return "OK"`
 * and Django's HttpResponse label every plain string text/html, so the type alone says nothing.
 */
export const looksLikeHtml = (answer: Pick<HttpSnapshot, 'body'>): boolean => DOCUMENT_START.test(answer.body);

/** Any markup at all (`<b>ok</b>`), where a short plain answer is expected. */
export const hasMarkup = (answer: Pick<HttpSnapshot, 'body'>): boolean => /<[a-z!/][^>]*>/i.test(answer.body);

export const isJsonAnswer = (answer: Answer): boolean => /[/+]json\b/i.test(headerOf(answer, 'content-type') ?? '');

/** 429: the target refused to answer this client; whatever the check needed from it was not said. */
export const isRateLimited = (answer: Pick<HttpSnapshot, 'status'>): boolean => answer.status === 429;

/** The URL names nothing the server routes (or not for this method): the check is pointed at the wrong place. */
export const isMissingEndpoint = (answer: Pick<HttpSnapshot, 'status'>): boolean => [404, 405, 410, 501].includes(answer.status);

export const isRedirect = (answer: Pick<HttpSnapshot, 'status'>): boolean => answer.status >= 300 && answer.status < 400;
