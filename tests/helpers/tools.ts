import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { root } from './paths.js';

/**
 * A program outside Node that some tests need. On a machine without it those
 * tests are skipped, each with a note naming the tool and how to install it
 * (tests/helpers/skip-reporter.ts sums the notes up at the end of the run);
 * under CI=true a missing tool fails them instead, so CI cannot pass by
 * skipping.
 */
export interface SystemTool {
  readonly name: string;
  readonly available: boolean;
  /** Skips the test when the tool is missing (beforeEach), or fails it under CI. */
  skipUnlessAvailable(context: TestContext): void;
}

/** Debian's Chromium, which Playwright drives (its own browser download cannot work offline). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The Nu HTML Checker, which ships with the vnu-jar package and runs on Java. */
export const VNU_JAR = path.join(root, 'node_modules/vnu-jar/build/dist/vnu.jar');

function tool(name: string, install: string, isThere: () => boolean): SystemTool {
  let known: boolean | undefined;
  const available = (): boolean => (known ??= isThere());
  const note = `needs ${name}, which this machine does not have: ${install}`;
  return {
    name,
    get available() {
      return available();
    },
    skipUnlessAvailable(context) {
      if (available()) return;
      if (process.env.CI === 'true') throw new Error(`${note} (CI=true: system tools are required, never skipped)`);
      context.skip(note);
    },
  };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const chromium = tool('Chromium', 'apt-get install chromium fonts-noto-cjk (or set CHROMIUM_PATH)', () => isExecutable(CHROMIUM));

export const java = tool('Java', 'apt-get install default-jre-headless', () => existsSync(VNU_JAR) && spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0);
