/**
 * A Prometheus URL may carry credentials ("https://user:pass@prom:9090"). fetch refuses such a URL
 * (and its error quotes it whole), and the URL reaches messages and evidence: the credentials are
 * taken out and sent as an Authorization header, and become secrets of the run.
 */

/** Whatever precedes the last "@" before the path, with or without a scheme (a malformed URL is masked too). */
const USERINFO = /^((?:[a-z][a-z0-9+.-]*:\/\/)?)([^/?#]*)@/i;

export interface PrometheusEndpoint {
  /** The URL without its credentials. */
  readonly url: string;
  /** `Basic …` when the URL carried credentials. */
  readonly authorization?: string;
}

const decoded = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

const basicOf = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${decoded(user)}:${decoded(password)}`).toString('base64')}`;

/** The usable http(s) endpoint of `raw`, or undefined when it is not one. */
export function prometheusEndpoint(raw: string): PrometheusEndpoint | undefined {
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  if (!['http:', 'https:'].includes(url.protocol)) return undefined;
  if (url.username === '' && url.password === '') return { url: raw };
  return { url: raw.replace(USERINFO, '$1'), authorization: basicOf(url.username, url.password) };
}

/** The secrets a Prometheus URL holds (its password, the userinfo, the Basic header value), valid or not. */
export function prometheusUrlSecrets(raw: string | undefined): string[] {
  const userinfo = raw === undefined ? undefined : USERINFO.exec(raw)?.[2];
  if (userinfo === undefined || userinfo === '') return [];
  const colon = userinfo.indexOf(':');
  const password = colon < 0 ? userinfo : userinfo.slice(colon + 1);
  const user = colon < 0 ? '' : userinfo.slice(0, colon);
  const basic = basicOf(user, password);
  return [...new Set([password, decoded(password), userinfo, decoded(userinfo), basic, basic.slice('Basic '.length)])].filter(
    (s) => s !== '',
  );
}

/** How a Prometheus URL can be named in a message: quoted only when it holds no credentials. */
export function describePrometheusUrl(raw: string): string {
  return USERINFO.test(raw) ? 'the URL given (credentials not shown)' : `"${raw}"`;
}
