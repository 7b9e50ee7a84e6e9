/** The interface text of the site, one catalogue per language (`templates/i18n/<code>.yaml`). */

/** Interface text for one language: key → text with `{name}` placeholders. */
export interface Catalogue {
  readonly lang: string;
  readonly file: string;
  readonly strings: ReadonlyMap<string, string>;
}
