import { Command, CommanderError } from 'commander';
import { build, defaults, formatSteps } from './pipeline/index.js';
import type { BuildOptions, LockHolder } from './model/build.js';
import { formatError, plural, sourceOf } from './diagnostics/format.js';
import { BroadsheetError, toBroadsheetErrors } from './diagnostics/error.js';
import type { ImportResult } from './import/index.js';
import { VERSION } from './version.js';
import { progressLine } from './progress-line.js';
import { clean } from './cache/clean.js';
import { guardFolder } from './write/folder-guard.js';
import { guardOwnedOutput } from './write/ownership.js';
import { lockOutput, recoverIfFree } from './write/lock.js';
import { recoverOutput } from './write/recover.js';
import { guardOwnedCache } from './cache/store.js';

/** Exit codes, documented in docs/cli.md. */
export const exitCodes = {
  ok: 0,
  /** The input (content, templates, configuration, a report) has problems. */
  problems: 1,
  /** The command line itself was wrong. */
  usage: 2,
  /** A bug in broadsheet: please report it with --debug output. */
  internal: 70,
} as const;

/** Where the CLI writes; tests pass their own. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The terminal a progress line may be drawn on, if any. */
  readonly terminal?: NodeJS.WriteStream;
}

const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  terminal: process.stderr,
};

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const debug = argv.includes('--debug');
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof ExitSignal) return error.code;
    if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    return reportFailure(error, io, debug);
  }
}

/** Thrown by commands that finished with a non-zero code after printing their own report. */
class ExitSignal extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function createProgram(io: CliIO): Command {
  const program = new Command('broadsheet')
    .description('Build a static news archive from plain-text reports and Markdown.')
    .version(VERSION, '-v, --version')
    .option('--debug', 'print stack traces for bug reports')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  addBuildOptions(program.command('build').description('build the site into the output folder')).action(
    async (options: CliBuildOptions, command: Command) => {
      const onWait = (holder: LockHolder): void => io.stderr(`waiting for the build (process ${holder.pid}) that is writing to ${options.out}…\n`);
      const progress = io.terminal ? progressLine(io.terminal) : null;
      let result;
      try {
        result = await build({ ...toBuildOptions(options, command), persist: true, onWait, onProgress: progress?.update });
      } finally {
        progress?.clear();
      }
      const seconds = (result.durationMs / 1000).toFixed(2);
      const warnings = result.warnings.length > 0 ? `, ${plural(result.warnings.length, 'warning')} (run broadsheet check)` : '';
      if (result.upToDate) io.stdout(`${options.out} is up to date: ${result.pages} pages (${result.articles} articles), no input changed; checked in ${seconds} s${warnings}\n`);
      else io.stdout(`built ${result.pages} pages (${result.articles} articles, ${result.written.length} files written) into ${options.out} in ${seconds} s${warnings}\n`);
      if (options.profile) io.stdout(`steps: ${formatSteps(result.steps)}\nrendered ${result.rendered.length} pages\n`);
    },
  );

  addBuildOptions(program.command('check').description('validate content and templates without writing anything')).action(
    async (options: CliBuildOptions, command: Command) => {
      // A check writes nothing, not even the cache.
      const result = await build({ ...toBuildOptions(options, command), dryRun: true, cacheDir: null });
      for (const warning of result.warnings) io.stderr(`${formatError(warning, { source: sourceOf(warning.file) })}\n\n`);
      if (result.warnings.length > 0) {
        io.stderr(`${plural(result.warnings.length, 'problem')} found in ${result.articles} articles\n`);
        throw new ExitSignal(exitCodes.problems);
      }
      io.stdout(`no problems in ${result.articles} articles and ${result.pages} pages\n`);
    },
  );

  addBuildOptions(program.command('watch').description('build, then rebuild what each edit affects')).action(async (options: CliBuildOptions, command: Command) =>
    runWatch({ ...toBuildOptions(options, command), profile: options.profile }, io),
  );

  addBuildOptions(program.command('dev').description('watch and serve the site with live reload on 127.0.0.1'))
    .option('--port <n>', 'port to serve on (the next free one if busy)', parsePort, 4000)
    .action(async (options: CliBuildOptions & { port: number }, command: Command) =>
      runWatch({ ...toBuildOptions(options, command), serve: { port: options.port }, profile: options.profile }, io),
    );

  program
    .command('serve')
    .description('serve a built site on 127.0.0.1 without watching')
    .option('--out <dir>', 'folder to serve', defaults.outDir)
    .option('--port <n>', 'port to serve on (the next free one if busy)', parsePort, 4000)
    .action(async (options: { out: string; port: number }) => {
      const { startServer } = await import('./serve/server.js');
      // A build killed while writing left the folder half-patched: put it back before serving it.
      await recoverIfFree(options.out);
      const server = await startServer({ root: options.out, port: options.port, liveReload: false });
      io.stdout(`[broadsheet] serving ${options.out} at ${server.url}\n`);
      await waitForSignal();
      await server.close();
    });

  program
    .command('clean')
    .description(`remove the cache (${defaults.cacheDir}/) so that the next build parses everything again`)
    .option('--cache-dir <dir>', 'the cache folder', defaults.cacheDir)
    .option('--out <dir>', 'also remove this output folder')
    .option('--force', 'remove the folders even if they hold files broadsheet did not write')
    .action(async (options: { cacheDir: string; out?: string; force?: boolean }) => {
      // The project's own folders, as a build with the default options would read them.
      const own = { contentDir: defaults.contentDir, templatesDir: defaults.templatesDir, configFile: defaults.configFile };
      guardFolder(options.cacheDir, 'cache', own);
      guardOwnedCache(options.cacheDir, options.force);
      const out = options.out;
      if (out !== undefined) guardFolder(out, 'output', own);
      const lock = out === undefined ? null : await lockOutput(out, 'build');
      let removed: string[];
      try {
        if (out !== undefined) {
          // A build killed half-way through its patch is undone first: its new pages are not in the marker yet.
          await recoverOutput(out);
          guardOwnedOutput(out, options.force);
        }
        removed = await clean(options.cacheDir, out);
      } finally {
        lock?.release();
      }
      io.stdout(removed.length > 0 ? `removed ${removed.join(', ')}\n` : 'nothing to remove\n');
    });

  program
    .command('init')
    .description('start a new archive: a configuration, an example report in two languages, a .gitignore')
    .argument('[dir]', 'folder to start it in (made if missing)', '.')
    .option('--templates', 'also copy the built-in templates into templates/, to change them')
    .action(async (dir: string, options: { templates?: boolean }) => {
      const { initArchive } = await import('./project/init.js');
      await initArchive(dir, options);
      const templates = options.templates ? ' and the templates' : '';
      io.stdout(`started an archive in ${dir}: broadsheet.yaml, an example report in content/, gazetteer/, .gitignore${templates}
`);
      const into = dir === '.' ? '' : `cd ${dir} && `;
      io.stdout(`next: ${into}npx broadsheet dev    (then add reports with: npx broadsheet import report.txt --out content/2024)
`);
    });

  program
    .command('eject')
    .description('copy built-in templates into the templates folder, to change them there')
    .argument('[names...]', 'templates to copy (article.njk, partials/byline.njk, i18n/en.yaml, assets/style.css); all when none')
    .option('--templates <dir>', 'the templates folder', defaults.templatesDir)
    .option('--force', 'replace your own copies with the built-in ones')
    .action(async (names: string[], options: { templates: string; force?: boolean }) => {
      const { ejectTemplates } = await import('./project/eject.js');
      const copied = await ejectTemplates(options.templates, names, options.force);
      io.stdout(`copied ${plural(copied.length, 'file')} into ${options.templates}/: ${copied.join(', ')}
`);
    });

  program
    .command('import')
    .description('recognise plain-text reports and write them as Markdown content files')
    .argument('<files...>', 'plain-text reports (UTF-8 or GB18030)')
    .option('--out <dir>', 'folder to write content files to', defaults.contentDir)
    .option('--json', 'print the recognised structure as JSON instead of writing files')
    .option('--force', 'overwrite existing content files')
    .option('--slug <slug>', 'name of the content file, instead of the title in pinyin (one input file only)')
    .action(async (files: string[], options: ImportCliOptions) => runImport(files, options, io));

  return program;
}

interface CliBuildOptions {
  profile?: boolean;
  content: string;
  templates: string;
  out: string;
  config: string;
  /** False with --no-cache. */
  cache: boolean;
  cacheDir: string;
  workers?: number;
  force?: boolean;
}

function addBuildOptions(command: Command): Command {
  return command
    .option('--profile', 'print the time each build step took')
    .option('--content <dir>', 'content folder', defaults.contentDir)
    .option('--templates <dir>', "the project's templates, over the built-in ones", defaults.templatesDir)
    .option('--out <dir>', 'output folder', defaults.outDir)
    .option('--config <file>', 'site configuration', defaults.configFile)
    .option('--cache-dir <dir>', 'where parsed articles and the output record are kept', defaults.cacheDir)
    .option('--no-cache', 'neither read nor write the cache: parse and write everything')
    .option('--workers <n>', 'threads for parsing and rendering (default: one per core; 0: none, and no time budget)', parseCount)
    .option('--force', 'replace an output folder that holds files broadsheet did not write');
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0 || count > 64) throw new CommanderError(exitCodes.usage, 'broadsheet.count', `invalid count "${value}"`);
  return count;
}

function toBuildOptions(options: CliBuildOptions, command: Command): BuildOptions {
  return {
    contentDir: options.content,
    templatesDir: options.templates,
    // `templates/` is the project's own when it has one; a folder named with --templates must exist.
    templatesRequired: command.getOptionValueSource('templates') !== 'default',
    outDir: options.out,
    configFile: options.config,
    cacheDir: options.cache ? options.cacheDir : null,
    workers: options.workers,
    force: options.force,
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CommanderError(exitCodes.usage, 'broadsheet.port', `invalid port "${value}"`);
  return port;
}

async function runWatch(options: BuildOptions & { serve?: { port: number }; profile?: boolean }, io: CliIO): Promise<void> {
  // Loaded on demand, like the other commands' modules: `broadsheet build` with nothing to do should start fast.
  const logs = { log: (line: string) => io.stdout(`${line}\n`), logError: (text: string) => io.stderr(`${text}\n\n`) };
  const { serve } = options;
  const session = serve
    ? await (await import('./dev.js')).startDevSession({ ...options, ...logs, serve })
    : await (await import('./watch/index.js')).startWatching({ ...options, ...logs });
  await waitForSignal();
  await session.close();
}

/** Resolves on Ctrl-C or a termination request, so the watcher and server close cleanly. */
function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

interface ImportCliOptions {
  out: string;
  json?: boolean;
  force?: boolean;
  slug?: string;
}

async function runImport(files: string[], options: ImportCliOptions, io: CliIO): Promise<void> {
  if (options.slug !== undefined && files.length > 1) {
    throw new CommanderError(exitCodes.usage, 'broadsheet.usage', '--slug needs exactly one input file');
  }
  if (options.slug !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(options.slug)) {
    io.stderr('error: --slug may use lowercase letters, digits, - and _ only\n');
    throw new ExitSignal(exitCodes.usage);
  }
  const { importFiles, readReport } = await import('./import/index.js');
  let results: ImportResult[];
  if (options.json) {
    results = await Promise.all(files.map((file) => readReport(file)));
    const reports = results.flatMap((result) => (result.ok ? [result.report] : []));
    if (reports.length > 0) io.stdout(`${JSON.stringify(files.length === 1 ? reports[0] : reports, null, 2)}\n`);
  } else {
    results = await importFiles(files, { outDir: options.out, force: options.force ?? false, slug: options.slug });
    for (const result of results) if (result.ok && result.written) io.stderr(`imported ${result.file} → ${result.written}\n`);
  }
  // A guess is one line: the place, the code and what was guessed.
  for (const result of results) if (result.ok) for (const doubt of result.doubts) io.stderr(`${formatError(doubt).split('\n')[0]}\n`);
  const failed = results.filter((result) => !result.ok);
  for (const result of failed) if (!result.ok) io.stderr(`${formatError(result.error)}\n`);
  if (failed.length > 0) {
    io.stderr(`${failed.length} of ${files.length} file${files.length === 1 ? '' : 's'} could not be imported\n`);
    throw new ExitSignal(exitCodes.problems);
  }
}

function reportFailure(error: unknown, io: CliIO, debug: boolean): number {
  let errors: readonly BroadsheetError[];
  try {
    errors = toBroadsheetErrors(error);
  } catch {
    io.stderr(`broadsheet: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    else io.stderr('This is a bug in broadsheet. Run again with --debug and report the output.\n');
    return exitCodes.internal;
  }
  for (const problem of errors) io.stderr(`${formatError(problem, { source: sourceOf(problem.file), debug })}\n\n`);
  io.stderr(`${errors.length} problem${errors.length === 1 ? '' : 's'} found; nothing was written\n`);
  return exitCodes.problems;
}
