/** The content of `<meta name="…" content="…">` in an HTML page (attributes in either order), e.g. a CSRF token. */
export function metaContent(html: string, name: string): string | undefined {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    const attr = (key: string) => new RegExp(`\\b${key}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(tag);
    const named = attr('name');
    if ((named?.[1] ?? named?.[2]) !== name) continue;
    const content = attr('content');
    return content?.[1] ?? content?.[2];
  }
  return undefined;
}
