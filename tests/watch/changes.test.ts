import { describe, expect, it } from 'vitest';
import type { BuildReport, ChangeSet } from '../../src/model/build.js';
import { classifyChange, isEditorArtefact, mergeChanges } from '../../src/watch/changes.js';
import { RebuildQueue } from '../../src/watch/queue.js';

const targets = { contentDir: '/site/content', templatesDir: '/site/templates', configFile: '/site/broadsheet.yaml' };

describe('classifyChange', () => {
  it.each([
    ['/site/broadsheet.yaml', 'config'],
    ['/site/content/2019/report.md', 'content'],
    ['/site/content/2019/report.en.md', 'content'],
    ['/site/content/2019', 'content'],
    ['/site/templates/article.njk', 'templates'],
    ['/site/templates/i18n/en.yaml', 'templates'],
    ['/site/templates/assets/style.css', 'templates'],
    ['/site/content/2019/.report.md.swp', null],
    ['/site/content/2019/report.md~', null],
    ['/site/content/2019/.#report.md', null],
    ['/site/content/2019/4913', null],
    ['/site/content/2019/report.md.12345.tmp', null],
    ['/site/content/notes.txt', null],
    ['/site/dist/index.html', null],
  ])('%s → %s', (file, kind) => {
    expect(classifyChange(file, targets)).toBe(kind);
  });
});

describe('isEditorArtefact', () => {
  it.each(['.report.md.swp', 'report.md.swo', 'report.md~', '#report.md#', '.#report.md', '4913', 'report.md___jb_tmp___', '.DS_Store'])('%s is an artefact', (name) => {
    expect(isEditorArtefact(`/x/${name}`)).toBe(true);
  });
  it.each(['report.md', 'report.en.md', 'style.css', 'article.njk'])('%s is not', (name) => {
    expect(isEditorArtefact(`/x/${name}`)).toBe(false);
  });
});

describe('mergeChanges', () => {
  it('should union content files and keep any config or template flag', () => {
    expect(mergeChanges({ content: ['/a.md'] }, { templates: true, content: ['/a.md', '/b.md'] })).toEqual({
      config: false,
      templates: true,
      content: ['/a.md', '/b.md'],
    });
  });
});

describe('RebuildQueue', () => {
  const report = { errors: [] } as unknown as BuildReport;

  it('should run one rebuild at a time and fold changes that arrive meanwhile into one more', async () => {
    const calls: ChangeSet[] = [];
    let running = 0;
    let maxRunning = 0;
    let release: () => void = () => undefined;
    const queue = new RebuildQueue(
      async (changes) => {
        calls.push(changes);
        running++;
        maxRunning = Math.max(maxRunning, running);
        if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
        running--;
        return report;
      },
      () => undefined,
    );
    void queue.push({ content: ['/1.md'] });
    await new Promise((resolve) => setTimeout(resolve, 5));
    void queue.push({ content: ['/2.md'] });
    void queue.push({ templates: true, content: ['/3.md'] });
    release();
    await queue.idle();
    expect(maxRunning).toBe(1);
    expect(calls).toEqual([{ content: ['/1.md'] }, { config: false, templates: true, content: ['/2.md', '/3.md'] }]);
  });
});
