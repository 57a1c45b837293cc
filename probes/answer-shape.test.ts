import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasMarkup, looksLikeHtml } from './answer-shape.js';

const answers = [
  // Express res.send('ok'), Flask return "OK", Django HttpResponse: plain strings labelled text/html.
  { body: 'ok', html: false, markup: false },
  { body: 'Unauthorized', html: false, markup: false },
  { body: '{"error":"invalid credentials"}', html: false, markup: false },
  { body: 'DATABASE_URL=postgres://u:p@db/app', html: false, markup: false },
  { body: '<!DOCTYPE html><html><body>Welcome</body></html>', html: true, markup: true },
  { body: '\uFEFF\n  <html lang="en"><head></head></html>', html: true, markup: true },
  { body: '<!-- build 42 -->\n<!doctype html><title>Shop</title>', html: true, markup: true },
  // Django's production 404 and a bare error page.
  { body: '<h1>Not Found</h1><p>The requested resource was not found on this server.</p>', html: true, markup: true },
  { body: '<b>ok</b>', html: false, markup: true },
] as const;

for (const a of answers) {
  test(`${JSON.stringify(a.body.slice(0, 30))} is ${a.html ? '' : 'not '}an HTML document, whatever its content type`, () => {
    assert.equal(looksLikeHtml({ body: a.body }), a.html);
    assert.equal(hasMarkup({ body: a.body }), a.markup);
  });
}
