import childProcess, { type ChildProcess } from 'node:child_process';
import { constants, setPriority } from 'node:os';

type Spawn = (...args: unknown[]) => ChildProcess;

/**
 * Calls `start`, giving any process it starts the lowest priority: such a
 * process runs on the cores nothing else wants, and the threads it starts
 * later inherit its priority. Pagefind's Node API starts its service
 * process inside its first call and does not expose it, so `spawn` is
 * wrapped for the length of that synchronous call and no longer. Watch
 * mode's background index then never takes a core from a rebuild
 * (docs/performance.md).
 */
export function startingAtLowPriority<T>(start: () => T): T {
  const module = childProcess as unknown as { spawn: Spawn };
  const spawn = module.spawn;
  module.spawn = function lowered(this: unknown, ...args: unknown[]): ChildProcess {
    const child = spawn.apply(this, args);
    try {
      if (child.pid !== undefined) setPriority(child.pid, constants.priority.PRIORITY_LOW);
    } catch {
      // A system that will not lower it leaves it at the normal priority: slower rebuilds, nothing worse.
    }
    return child;
  };
  try {
    return start();
  } finally {
    module.spawn = spawn;
  }
}
