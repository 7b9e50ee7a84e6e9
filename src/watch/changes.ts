import path from 'node:path';
import type { ChangeSet } from '../model/build.js';

/** What a changed path is, which decides how much must be rebuilt. */
export type ChangeKind = 'config' | 'templates' | 'content';

/** The files and folders a watcher looks at. */
export interface WatchTargets {
  readonly contentDir: string;
  readonly templatesDir: string;
  readonly configFile: string;
}

/**
 * Files editors write beside the real one while saving: Vim's swap files
 * and its `4913` probe, Emacs lock and backup files, `~` backups, and the
 * temporary files of atomic saves (`.name.tmp`, `name.md.12345.tmp`,
 * JetBrains' `___jb_tmp___`). None of them is content.
 */
export function isEditorArtefact(file: string): boolean {
  const name = path.basename(file);
  return (
    /\.(?:sw[a-p]|swx|tmp|temp|bak|orig|crdownload|part)$/i.test(name) ||
    name.endsWith('~') ||
    name.startsWith('.#') ||
    (name.startsWith('#') && name.endsWith('#')) ||
    name === '4913' ||
    /___jb_(?:tmp|old)___$/.test(name) ||
    name === '.DS_Store' ||
    // Dot files and folders (.git, .cache) are skipped by the content scan too.
    (name.startsWith('.') && name !== '.')
  );
}

/** Classifies a changed path by where it is; null for paths broadsheet does not read. */
export function classifyChange(file: string, targets: WatchTargets): ChangeKind | null {
  const absolute = path.resolve(file);
  if (absolute === path.resolve(targets.configFile)) return 'config';
  if (isEditorArtefact(absolute)) return null;
  if (isInside(absolute, targets.templatesDir)) return 'templates';
  if (isInside(absolute, targets.contentDir)) return absolute.endsWith('.md') || !path.extname(absolute) ? 'content' : null;
  return null;
}

function isInside(file: string, folder: string): boolean {
  const root = path.resolve(folder);
  return file === root || file.startsWith(root + path.sep);
}

/** Adds one classified path to a change set. */
export function addChange(changes: ChangeSet, kind: ChangeKind, file: string): ChangeSet {
  if (kind === 'config') return { ...changes, config: true };
  if (kind === 'templates') return { ...changes, templates: true };
  return { ...changes, content: [...(changes.content ?? []), path.resolve(file)] };
}

/** Two change sets as one. */
export function mergeChanges(a: ChangeSet, b: ChangeSet): ChangeSet {
  return {
    config: Boolean(a.config || b.config),
    templates: Boolean(a.templates || b.templates),
    content: [...new Set([...(a.content ?? []), ...(b.content ?? [])])],
  };
}

/** How many paths a change set names, for the log line. */
export function describeChanges(changes: ChangeSet): string {
  const parts = [
    changes.config ? 'configuration' : '',
    changes.templates ? 'templates' : '',
    changes.content?.length ? `${changes.content.length} content file${changes.content.length === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.join(', ') || 'nothing';
}
