/** Measures the named steps of a build, for `--profile` and the benchmark. */
export class StepTimer {
  readonly #steps: [string, number][] = [];
  #last = performance.now();

  /** Ends the step that has been running since the previous mark, under `name`. */
  mark(name: string): void {
    const now = performance.now();
    this.#steps.push([name, now - this.#last]);
    this.#last = now;
  }

  /** Moves `ms` already counted in the current step to `name` (for work interleaved with another step). */
  add(name: string, ms: number): void {
    this.#steps.push([name, ms]);
    const current = this.#steps.at(-2);
    if (current) current[1] -= ms;
  }

  /** Milliseconds per step, in order; a step marked twice adds up. */
  get steps(): Readonly<Record<string, number>> {
    const totals: Record<string, number> = {};
    for (const [name, ms] of this.#steps) totals[name] = (totals[name] ?? 0) + ms;
    return totals;
  }
}

/** `parse 12 ms, render 3 ms, …` for `--profile`. */
export function formatSteps(steps: Readonly<Record<string, number>>): string {
  return Object.entries(steps)
    .map(([name, ms]) => `${name} ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`)
    .join(', ');
}
