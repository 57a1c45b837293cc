import path from 'node:path';
import type { Target } from '../core/target.js';

/** Where one target's browser or load files go inside the run folder: the folder itself, or a subfolder per target when there are several. */
export function targetFolder(runDir: string, kind: 'smoke' | 'load', target: Pick<Target, 'origin'>, targetCount: number): string {
  if (targetCount <= 1) return runDir;
  return path.join(runDir, `${kind}-${new URL(target.origin).host.replace(/[^a-z0-9.-]/gi, '_')}`);
}
