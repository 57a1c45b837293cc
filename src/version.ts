import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from './project-root.js';

const pkg = JSON.parse(readFileSync(new URL('package.json', PROJECT_ROOT), 'utf8')) as { version: string };

export const VERSION: string = pkg.version;
