/**
 * k6's threshold expression grammar (https://grafana.com/docs/k6/latest/using-k6/thresholds/):
 *
 *   expression  = aggregation operator value
 *   aggregation = "avg" | "min" | "max" | "med" | "count" | "rate" | "value" | "p(" number ")"
 *   operator    = "<" | "<=" | ">" | ">=" | "==" | "===" | "!="
 *   value       = a plain number; durations in milliseconds (k6 takes no unit, so neither do we)
 *
 * Whitespace between the parts is allowed, as in k6. The object form
 * `{ threshold, abortOnFail, delayAbortEval }` wraps one expression.
 */

export type Aggregation = 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' | `p(${number})`;
export type K6Operator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

export interface ThresholdExpression {
  readonly aggregation: Aggregation;
  /** For p(N): N. */
  readonly percentile?: number;
  readonly operator: K6Operator;
  readonly value: number;
}

export class ThresholdSyntaxError extends Error {
  override readonly name = 'ThresholdSyntaxError';
}

const NAMED = ['avg', 'min', 'max', 'med', 'count', 'rate', 'value'] as const;
const OPERATORS: readonly K6Operator[] = ['===', '==', '!=', '<=', '>=', '<', '>'];
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;

/** Parses one k6 threshold expression; a ThresholdSyntaxError says what is wrong and what k6 expects. */
export function parseThresholdExpression(text: string): ThresholdExpression {
  let rest = text.trim();
  if (rest === '') throw new ThresholdSyntaxError('is empty; write e.g. p(95)<500');

  let aggregation: Aggregation;
  let percentile: number | undefined;
  const named = NAMED.find((name) => rest.startsWith(name) && !/^[A-Za-z0-9_(]/.test(rest.slice(name.length)));
  if (named !== undefined) {
    aggregation = named;
    rest = rest.slice(named.length);
  } else {
    const p = /^p\(\s*([^)]*?)\s*\)/.exec(rest);
    if (p === null) {
      const word = /^[^\s<>=!]*/.exec(rest)?.[0] ?? rest;
      throw new ThresholdSyntaxError(
        `"${word}" is not an aggregation; use avg, min, max, med, count, rate, value or p(N)${/^p\d/.test(word) ? ` (write p(${word.slice(1)}))` : ''}`,
      );
    }
    const n = Number(p[1]);
    if (p[1] === '' || !NUMBER.test(p[1] ?? '') || !Number.isFinite(n) || n < 0 || n > 100) {
      throw new ThresholdSyntaxError(`"${p[0]}": the percentile must be a number from 0 to 100`);
    }
    percentile = n;
    aggregation = `p(${n})`;
    rest = rest.slice(p[0].length);
  }

  rest = rest.trimStart();
  const operator = OPERATORS.find((op) => rest.startsWith(op));
  if (operator === undefined) {
    throw new ThresholdSyntaxError(
      `${rest === '' ? 'has no operator' : `"${rest}" does not start with an operator`} after ${aggregation}; use <, <=, >, >=, ==, === or !=`,
    );
  }
  rest = rest.slice(operator.length).trim();
  if (rest === '') throw new ThresholdSyntaxError(`has no value after ${aggregation}${operator}`);
  const number = NUMBER.exec(rest);
  if (number === null) throw new ThresholdSyntaxError(`"${rest}" is not a number`);
  const tail = rest.slice(number[0].length).trim();
  if (tail !== '') {
    throw new ThresholdSyntaxError(
      /^[a-zµ%]+$/i.test(tail)
        ? `"${rest}": k6 thresholds take a plain number, no unit (durations are milliseconds: ${aggregation}${operator}${number[0]} means ${number[0]} ms)`
        : `unexpected "${tail}" after the value ${number[0]}`,
    );
  }
  return { aggregation, ...(percentile === undefined ? {} : { percentile }), operator, value: Number(number[0]) };
}
