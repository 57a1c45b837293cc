import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Written into a run folder last, after summary.json, junit.xml and index.html: a folder without
 * it is a run still writing (or one that died), which retention never touches.
 */
export const COMPLETE_MARKER = '.complete';

export const isComplete = (runDir: string): boolean => existsSync(path.join(runDir, COMPLETE_MARKER));
