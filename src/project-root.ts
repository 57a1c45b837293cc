import { existsSync } from 'node:fs';

/**
 * The project folder (where package.json, spec/ and node_modules/ are), whether this module runs
 * from the sources (src/) or from the build (dist/src/): files outside the compiled folders are
 * found from here, not relative to the module.
 */
export const PROJECT_ROOT: URL = existsSync(new URL('../package.json', import.meta.url))
  ? new URL('../', import.meta.url)
  : new URL('../../', import.meta.url);
