/**
 * A testing hook: `BROADSHEET_FAILPOINT=patch:12` kills the process with
 * SIGKILL when a patch has applied 12 of its changes, so that tests can kill
 * a build at an exact point of writing and check what a reader sees. Not
 * set, it costs one comparison.
 */
const FAILPOINT = process.env.BROADSHEET_FAILPOINT ?? '';

/** Kills the process here if the failpoint names `where` at `step`. */
export function failpoint(where: string, step: number): void {
  if (FAILPOINT !== '' && FAILPOINT === `${where}:${step}`) process.kill(process.pid, 'SIGKILL');
}
