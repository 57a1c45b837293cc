import { execFileSync } from 'node:child_process';

/** Live (not zombie) processes in any of these process groups, as `ps` sees them: one line each. */
export function aliveInGroups(groups: readonly number[]): string[] {
  return execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => {
      const [, pgid, stat] = line.trim().split(/\s+/);
      return groups.includes(Number(pgid)) && !String(stat).startsWith('Z');
    });
}
