/** One configuration problem: where it is (flag, variable or file path) and what would be valid. */
export interface ConfigProblem {
  readonly source: string;
  readonly message: string;
}

/** Bad usage or configuration: the CLI prints every problem and exits 2, never a stack trace. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map((p) => `${p.source}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

export const configError = (source: string, message: string): ConfigError => new ConfigError([{ source, message }]);
