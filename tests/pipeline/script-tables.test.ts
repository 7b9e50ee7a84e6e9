import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { configs } from 'opencc-js/preset/cn2t';
import { describe, expect, it } from 'vitest';
import { PhraseTable, type ScriptTables } from '../../src/i18n/phrase-table.js';
import { scriptTableStore } from '../../src/pipeline/script-tables.js';
import { seedFile } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';

// The Traditional converter's tables are kept in the cache folder, so that a new process or a worker
// thread reads them instead of building them. What is read back must convert exactly as what was built.

const group = configs.s2tw?.conversionChain[0] as unknown as ConstructorParameters<typeof PhraseTable>[0];

describe('the converter tables kept in the cache folder', () => {
  it('should convert with tables read back exactly as with tables built', async () => {
    const text = await readFile(seedFile, 'utf8');
    const built = new PhraseTable(group);
    const store = scriptTableStore(await tempDir('broadsheet-tables'));
    store.save('tw-test', { normalize: [], segmentation: null, chain: [built.toData()] });
    const kept = store.load('tw-test') as ScriptTables;
    expect(kept.chain).toHaveLength(1);
    const read = new PhraseTable(kept.chain[0] as NonNullable<ScriptTables['chain'][0]>);
    expect(read.convert(text)).toBe(built.convert(text));
    expect(read.convert(text)).not.toBe(text);
  });

  it("should keep a variant's tables of one release only, leaving other variants and files alone", async () => {
    const dir = await tempDir('broadsheet-tables');
    const store = scriptTableStore(dir);
    const tables: ScriptTables = { normalize: [], segmentation: null, chain: [new PhraseTable([[['汉', '漢']]]).toData()] };
    store.save('hk-0000000000000000', tables);
    store.save('tw-1111111111111111', tables);
    await writeFile(path.join(dir, 'script-tables', 'tw-2222222222222222-00000000.bin.123-abc.tmp'), 'another process, writing');
    store.save('tw-2222222222222222', tables);
    const names = (await readdir(path.join(dir, 'script-tables'))).sort();
    expect(names.filter((name) => name.endsWith('.bin')).map((name) => name.slice(0, 19))).toEqual(['hk-0000000000000000', 'tw-2222222222222222']);
    expect(names.filter((name) => name.endsWith('.tmp'))).toHaveLength(1);
    expect(store.load('tw-1111111111111111')).toBeUndefined();
    expect(store.load('tw-2222222222222222')?.chain).toHaveLength(1);
    expect(store.load('hk-0000000000000000')?.chain).toHaveLength(1);
  });

  it('should not use a damaged file, nor one it does not have', async () => {
    const dir = await tempDir('broadsheet-tables');
    const store = scriptTableStore(dir);
    expect(store.load('tw-none')).toBeUndefined();
    store.save('tw-test', { normalize: [], segmentation: null, chain: [new PhraseTable([[['汉', '漢']]]).toData()] });
    const [file] = await readdir(path.join(dir, 'script-tables'));
    const stored = path.join(dir, 'script-tables', file ?? '');
    const bytes = await readFile(stored);
    bytes.writeUInt8((bytes.at(-3) ?? 0) ^ 0xff, bytes.length - 3);
    await writeFile(stored, bytes);
    expect(store.load('tw-test')).toBeUndefined();
  });
});
