/**
 * The catalogue of user-facing error codes. Codes are stable: tools and
 * people search for them, so a code is never reused for another meaning.
 * `docs/errors.md` is checked against this table by the test suite.
 *
 * Ranges: BS1xx import, BS2xx content, BS3xx templates and strings,
 * BS4xx output, BS5xx configuration and command line.
 */
export const errorCodes = {
  BS101: { title: 'file cannot be read', hint: 'Check that the path exists and is a readable file.' },
  BS102: { title: 'file is empty', hint: 'The report has no text; check that the export did not fail.' },
  BS103: { title: 'file is not text', hint: 'The file holds binary data (NUL bytes). Export the report as plain text.' },
  BS104: {
    title: 'unknown text encoding',
    hint: 'broadsheet reads UTF-8 and GB18030/GBK. Re-save the file in UTF-8.',
  },
  BS105: {
    title: 'text does not look like a report',
    hint: 'A report needs a headline line followed by at least one paragraph.',
  },
  BS106: {
    title: 'content file already exists',
    hint: 'Pass --force to overwrite it, --slug to choose another name, or --out to write elsewhere.',
  },
  BS107: {
    title: 'structure guessed',
    hint: 'Check the part named in the content file; the import went ahead with the guess.',
  },
  BS201: { title: 'front matter is not valid YAML', hint: 'Fix the YAML syntax between the two --- lines.' },
  BS202: { title: 'front matter field is missing', hint: 'Add the field to the front matter.' },
  BS203: { title: 'front matter field has the wrong type', hint: 'docs/content-format.md gives the type of every field.' },
  BS204: {
    title: 'unknown front matter field',
    hint: 'Remove the field or check its spelling; docs/content-format.md lists every field.',
  },
  BS205: { title: 'date is not valid', hint: 'Write dates as YYYY-MM-DD, YYYY-MM or YYYY, and use a day that exists.' },
  BS206: { title: 'unknown language', hint: 'Use a language listed in broadsheet.yaml, or add it there.' },
  BS207: {
    title: 'two pages claim one address',
    hint: 'Give one of them another slug or move it to another folder.',
  },
  BS208: {
    title: 'Markdown structure not supported',
    hint: 'Use ## for section headings and ### for an optional subheading; the title goes in front matter.',
  },
  BS209: { title: 'file has no front matter', hint: 'Start the file with a --- line, the YAML fields, and another --- line.' },
  BS210: {
    title: 'translation without a source',
    hint: 'A translation name.en.md needs its source name.md in the same folder; rename one of them.',
  },
  BS211: {
    title: 'translation does not align with its source',
    hint: 'Give the translation the same sections, in the same order, with the same number of paragraphs each.',
  },
  BS212: {
    title: 'file or folder name cannot be a web address',
    hint: 'Name content files and folders with lowercase letters a–z, digits, - and _ (pinyin for Chinese titles), or set slug in the front matter.',
  },
  BS213: {
    title: 'file changed while the site was being built',
    hint: 'Run the build again once the edits are saved.',
  },
  BS214: {
    title: 'symbolic link in the content folder',
    hint: 'broadsheet publishes only the files inside the content folder and does not follow links; copy the file or folder in instead.',
  },
  BS215: {
    title: 'content file is very large',
    hint: 'A file this large makes the build and the search index slow; consider splitting it into several articles.',
  },
  BS216: {
    title: 'content file is too large',
    hint: 'Split the text into several articles, or raise limits.maxKilobytes in broadsheet.yaml.',
  },
  BS217: {
    title: 'file took too long to read',
    hint: 'Look at the line shown for a long run of unclosed markers, or raise limits.parseSeconds in broadsheet.yaml.',
  },
  BS218: {
    title: 'date is in the future',
    hint: 'Check the year: the article is listed first and announced to news crawlers as recent until that date has passed.',
  },
  BS301: { title: 'template not found', hint: 'Check the template name and the --templates folder.' },
  BS302: { title: 'template has a syntax error', hint: 'Fix the Nunjucks syntax at the line shown.' },
  BS303: { title: 'template failed while rendering', hint: 'The template used a value or filter that does not exist.' },
  BS304: { title: 'string catalogue is not valid', hint: 'A catalogue is a YAML map from key to text.' },
  BS305: { title: 'string catalogue key is missing', hint: 'Add the key to the language catalogue in templates/i18n/.' },
  BS401: { title: 'output cannot be written', hint: 'Check that the output folder is writable and the disk is not full.' },
  BS402: { title: 'path leaves the output folder', hint: 'Slugs may use letters, digits, - and _ only.' },
  BS403: { title: 'folder would take your own files with it', hint: 'Choose an output or cache folder of its own, new or empty.' },
  BS404: {
    title: 'another broadsheet process is writing the output folder',
    hint: 'Stop the other process first, or write elsewhere with --out.',
  },
  BS501: { title: 'configuration is not valid', hint: 'Fix broadsheet.yaml; docs/configuration.md documents each setting.' },
  BS502: { title: 'folder not found', hint: 'Check the --content and --templates options.' },
  BS503: { title: 'file already exists', hint: 'broadsheet init and eject never overwrite a file; choose another folder, or pass --force to eject.' },
} as const satisfies Record<string, { title: string; hint: string }>;

/** A stable error code such as `BS201`. */
export type ErrorCode = keyof typeof errorCodes;
