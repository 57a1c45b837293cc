/**
 * Checks Prometheus text exposition (format 0.0.4) the way a scraper reads it: every line a comment,
 * blank, or `name{label="value",…} value [timestamp]`; TYPE before samples; one TYPE per family.
 */
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/;
const LABEL = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function familyOf(sample: string, types: ReadonlyMap<string, string>): string {
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
    if (sample.endsWith(suffix)) {
      const base = sample.slice(0, -suffix.length);
      if (types.has(base)) return base;
    }
  }
  return sample;
}

function labelsValid(text: string): boolean {
  let rest = text;
  while (rest.trim() !== '') {
    const m = LABEL.exec(rest);
    if (m === null) return false;
    rest = rest.slice(m[0].length);
  }
  return true;
}

export function validateExposition(text: string): string[] {
  const problems: string[] = [];
  const types = new Map<string, string>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const at = `line ${index + 1}`;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (m === null) return;
      const [, kind, name = '', rest = ''] = m;
      if (!NAME.test(name)) problems.push(`${at}: invalid metric name "${name}"`);
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) problems.push(`${at}: unknown type "${rest}" for ${name}`);
        if (types.has(name)) problems.push(`${at}: second TYPE line for ${name}`);
        types.set(name, rest);
      }
      return;
    }
    const m = SAMPLE.exec(line);
    if (m === null) {
      problems.push(`${at}: not a sample line: ${line.slice(0, 80)}`);
      return;
    }
    const [, name = '', , labels, value = ''] = m;
    if (labels !== undefined && !labelsValid(labels)) problems.push(`${at}: malformed labels on ${name}`);
    // Go's ParseFloat, which Prometheus uses, takes NaN/Inf in any case (prom-client writes "Nan").
    if (!/^(nan|[+-]?inf(inity)?|[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)$/i.test(value))
      problems.push(`${at}: "${value}" is not a sample value`);
    if (!types.has(familyOf(name, types)) && types.size > 0 && !types.has(name)) problems.push(`${at}: sample ${name} has no TYPE`);
  });
  if (types.size === 0) problems.push('no metric families (no # TYPE lines)');
  return problems;
}
