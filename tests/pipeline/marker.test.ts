import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/model/config.js';
import type { OutputRecord, OutputState } from '../../src/pipeline/state.js';
import { nextMarker } from '../../src/pipeline/steps/record.js';
import { ownershipMarker } from '../../src/write/ownership.js';

const record = { plan: null, signature: 's', hash: 'h' } as OutputRecord;
const config = { search: true, languages: [{ path: 'zh-hans' }, { path: 'en' }] } as unknown as Config;
const pages = new Map([
  ['/zh-hans/2019/a/', record],
  ['/en/2019/a/', record],
]);
const assets = new Map([['assets/style.css', 'x']]);
const bundles = ['zh-hans/pagefind/', 'en/pagefind/'];
const markerText = ownershipMarker(['zh-hans/2019/a/index.html', 'en/2019/a/index.html', 'assets/style.css'], bundles).contents as string;
const output = (marker: string): OutputState => ({ archive: null, pages, assets, listings: null, siteFiles: null, signedWith: null, signedSite: null, marker, stamps: null });

describe("the ownership marker after a rebuild in the same process", () => {
  it('is the one there when every page and asset stays', () => {
    const next = nextMarker(output(markerText), '/nowhere', [], new Map(pages), assets, config);
    expect(next).toEqual({ file: { path: '.broadsheet-output', contents: markerText }, changed: false });
  });

  it('is made again when a page comes or goes, an asset comes, or the search bundles change', () => {
    const added = nextMarker(output(markerText), '/nowhere', [], new Map([['/en/2019/b/', record]]), assets, config);
    expect(added.changed).toBe(true);
    expect(added.file.contents).toContain('en/2019/b/index.html');
    const gone = nextMarker(output(markerText), '/nowhere', ['/en/2019/a/'], new Map(), assets, config);
    expect(gone.changed).toBe(true);
    expect(gone.file.contents).not.toContain('en/2019/a/index.html');
    const asset = nextMarker(output(markerText), '/nowhere', [], new Map(), new Map([...assets, ['assets/search.js', 'y']]), config);
    expect(asset.file.contents).toContain('assets/search.js');
    const noSearch = nextMarker(output(markerText), '/nowhere', [], new Map(), assets, { ...config, search: false });
    expect(noSearch.file.contents).not.toContain('pagefind/');
  });

  it('is made again when the one kept lists other folders', () => {
    const edited = markerText.replace('en/pagefind/\n', 'en/pagefind/\nother/\n');
    const next = nextMarker(output(edited), '/nowhere', [], new Map(), assets, config);
    expect(next).toEqual({ file: { path: '.broadsheet-output', contents: markerText }, changed: true });
  });
});
