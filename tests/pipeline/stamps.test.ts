import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedInputs, restampUnlessSame, stampInputs } from '../../src/pipeline/manifest.js';
import { makeProject, projectOptions } from '../helpers/cli.js';

// The stamps a one-shot build compares with the record are the ones its builder starts from,
// unless the configuration now names other gazetteers than the record did.

describe('the stamps of a one-shot build', () => {
  it('should name the changed files and hand the builder the stamps it took', async () => {
    const project = await makeProject();
    const inputs = projectOptions(project);
    const gazetteer = path.join(project, 'gazetteer/meizhou.yaml');
    const recorded = stampInputs(inputs, [gazetteer]);
    const report = path.join(project, 'content/2019/meizhou-last-mile.md');
    await appendFile(report, '\n又写了一句。\n');
    const { stamps, changed } = changedInputs(recorded, inputs);
    expect(changed).toEqual([report]);
    expect(stamps[gazetteer]).toBe(recorded[gazetteer]);
    // Marked, to tell taken stamps from stamps taken again.
    const taken = { ...stamps, [report]: 'taken before the build' };
    expect(restampUnlessSame(taken, inputs, [gazetteer])[report]).toBe('taken before the build');
    // A gazetteer the record did not name: everything is stamped again, the new file included.
    const added = path.join(project, 'gazetteer/other.yaml');
    const again = restampUnlessSame(taken, inputs, [gazetteer, added]);
    expect(again[report]).toBe(stamps[report]);
    expect(again[added]).toBe('missing');
    // One the record named and the configuration no longer does.
    expect(restampUnlessSame(taken, inputs, [])[gazetteer]).toBeUndefined();
    expect(restampUnlessSame(null, inputs, [gazetteer])).toEqual(stamps);
  });
});
