import type { BylineEntry } from './types.js';

// Longest first, so that 首席记者 wins over 记者 and 特约通讯员 over 通讯员.
const CHINESE_ROLES = [
  '特约通讯员', '全媒体记者', '融媒体记者', '首席记者', '本报记者', '特约记者', '见习记者', '实习记者',
  '摄影记者', '驻站记者', '通讯员', '实习生', '记者', '撰稿', '摄影', '编译', '整理', '编辑', '作者',
];
/** The role of a name credited with the photographs (`图/某某`, `某某 摄`). */
export const PHOTO_ROLE = '摄影';
/** The role of a name credited with both text and photographs and printed without a role (`文/图 某某`). */
const TEXT_AND_PHOTO_ROLE = '文/图';
/** The role of a name credited with the text and printed without a role (`文/某某`). */
const TEXT_ROLE = '文';
const ENGLISH_ROLES = [
  'Chief reporter', 'Senior reporter', 'Staff reporter', 'Staff writer', 'Reporter', 'Correspondent',
  'Intern', 'Photographer', 'Writer', 'Author',
];

const BULLET = /^[●◎○■□◆◇•·▲△★☆※▪︎\s]+/u;
// Justified bylines put spaces between the characters of a role: 通 讯 员.
const spaced = (role: string): string => [...role].map(escapeRegExp).join('[\\s\\u3000]*');
const CHINESE_ROLE = new RegExp(CHINESE_ROLES.map(spaced).join('|'), 'gu');
const ENGLISH_ROLE = new RegExp(`\\b(?:${ENGLISH_ROLES.join('|')})\\b`, 'gi');
const CHINESE_NAME_SEPARATOR = /[\s\u3000、，,;；/和及与]+/u;
const TRAILING_WORDS = /[\s\u3000]*(?:报道组|报道)$/u;
// `X 摄`, `记者 X 摄`, `本报记者 X 摄影`: a photo credit, the whole line. Without a role the names
// must stand apart from 摄 and be short, or a headline ending in 摄影 would read as one.
const PHOTO_CREDIT = /^(.+?)([\s\u3000]*)(?:摄影|摄)$/u;
const BARE_PHOTOGRAPHER = /^[\p{L}·]{2,4}$/u;
// Credit prefixes: 文/图 (or 图/文, 文、图/) for both, 文/ for the text, 图/ for the photographs; full-width slashes too.
const CREDIT = /(文[\s\u3000]*[/／][\s\u3000]*图|图[\s\u3000]*[/／][\s\u3000]*文|文[\s\u3000]*[、，,][\s\u3000]*图[\s\u3000]*[/／]|文[\s\u3000]*[/／]|图[\s\u3000]*[/／])/gu;
// 文/图 after the names credits them with both.
const TRAILING_CREDIT = /[\s\u3000]*(?:文[\s\u3000]*[/／、][\s\u3000]*图|图[\s\u3000]*[/／、][\s\u3000]*文)$/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Reads a byline such as `●首席记者张柯`, `通 讯 员蓝华林`,
 * `◎ 记者 某某 实习生 某某`, `文/本报记者 某某 图/某某`, `记者 某某 摄` or
 * `By Zhang Ke and Lan Hualin` into role/name pairs (the forms are listed
 * in docs/content-format.md). Returns `null` when the text is not a
 * byline, so callers can use it to recognise byline lines.
 */
export function parseByline(text: string): BylineEntry[] | null {
  const body = text.replace(BULLET, '').replace(TRAILING_WORDS, '').trim();
  if (body === '') return null;
  return parseEnglishByline(body) ?? parsePhotoCredit(body) ?? parseCredits(body);
}

/** `某某 摄`, `记者 某某 摄`, `本报记者 某某 摄影`: each name credited with the photographs. */
function parsePhotoCredit(body: string): BylineEntry[] | null {
  const match = PHOTO_CREDIT.exec(body);
  const names = match?.[1];
  if (!names) return null;
  const withRole = parseRoleRuns(names, CHINESE_ROLE, splitChineseNames);
  if (withRole) return withRole.map((entry) => ({ role: PHOTO_ROLE, name: entry.name }));
  const bare = match[2] ? splitChineseNames(names) : null;
  return bare?.every((name) => BARE_PHOTOGRAPHER.test(name)) ? bare.map((name) => ({ role: PHOTO_ROLE, name })) : null;
}

/**
 * A byline in credit parts: `文/图 本报记者 某某`, `文/本报记者 某某 图/某某`,
 * `图/文 某某`, `文、图/某某`, `本报记者 某某 文/图`, or plain role runs.
 * Names under a printed role keep it; names printed without one take the
 * credit's (文, 文/图, or 摄影 for 图/).
 */
function parseCredits(text: string): BylineEntry[] | null {
  const trailing = TRAILING_CREDIT.test(text) && !/^[\s\u3000]*[文图][\s\u3000]*[/／、]/u.test(text);
  const body = trailing ? `文/图 ${text.replace(TRAILING_CREDIT, '')}` : text;
  const marks = [...body.matchAll(CREDIT)];
  if (marks.length === 0) return parseRoleRuns(body, CHINESE_ROLE, splitChineseNames);
  const entries: BylineEntry[] = [];
  const leading = body.slice(0, marks[0]?.index ?? 0).trim();
  if (leading) {
    const runs = parseRoleRuns(leading, CHINESE_ROLE, splitChineseNames);
    if (!runs) return null;
    entries.push(...runs);
  }
  for (const [index, mark] of marks.entries()) {
    const start = (mark.index ?? 0) + mark[0].length;
    const part = body.slice(start, marks[index + 1]?.index ?? body.length).trim();
    const credit = creditRole(mark[0]);
    const runs = parseRoleRuns(part, CHINESE_ROLE, splitChineseNames) ?? splitChineseNames(part)?.map((name) => ({ role: credit, name }));
    if (!runs || runs.length === 0) return null;
    // A photographer keeps the photo role even under a printed one: 图/本报记者 某某.
    entries.push(...(credit === PHOTO_ROLE ? runs.map((entry) => ({ role: PHOTO_ROLE, name: entry.name })) : runs));
  }
  return entries;
}

const ROLE_MENTION = new RegExp(CHINESE_ROLE.source, 'u');

/** True when the text has what bylines are made of (a role, a credit mark, a closing 摄), parsed or not. */
export function mentionsByline(text: string): boolean {
  return ROLE_MENTION.test(text) || /[文图][\s\u3000]*[/／]/u.test(text) || /摄影?$/u.test(text);
}

function creditRole(mark: string): string {
  const letters = mark.replace(/[\s\u3000/／、，,]/gu, '');
  if (letters.length === 2) return TEXT_AND_PHOTO_ROLE;
  return letters === '图' ? PHOTO_ROLE : TEXT_ROLE;
}

function parseEnglishByline(body: string): BylineEntry[] | null {
  const by = /^by\s+(.+)$/i.exec(body);
  if (by?.[1]) {
    // "By Zhang Ke, chief reporter" names the role after the name.
    const [names = '', role] = by[1].split(/,\s*(?=(?:[a-z]+\s+)?(?:reporter|correspondent|writer|intern|photographer)\b)/i);
    return splitEnglishNames(names)?.map((name) => ({ role: capitalise(role ?? 'Author'), name })) ?? null;
  }
  return parseRoleRuns(body, ENGLISH_ROLE, splitEnglishNames, capitalise);
}

/**
 * Splits `role names role names …` at each role. The text must start with a
 * role and every role must be followed by at least one name.
 */
function parseRoleRuns(
  body: string,
  rolePattern: RegExp,
  splitNames: (names: string) => string[] | null,
  normaliseRole: (role: string) => string = (role) => role.replace(/[\s\u3000]+/gu, ''),
): BylineEntry[] | null {
  const matches = [...body.matchAll(rolePattern)];
  if (matches.length === 0 || matches[0]?.index !== 0) return null;
  const entries: BylineEntry[] = [];
  for (const [index, match] of matches.entries()) {
    const start = (match.index ?? 0) + match[0].length;
    const end = matches[index + 1]?.index ?? body.length;
    const names = splitNames(body.slice(start, end).replace(/^[\s:：]+/u, ''));
    if (names === null || names.length === 0) return null;
    const role = normaliseRole(match[0]);
    for (const name of names) entries.push({ role, name });
  }
  return entries;
}

// A personal name or a desk name (本报报道组): letters only, short.
const CHINESE_NAME = /^[\p{L}·•]{1,8}$/u;
const ENGLISH_NAME = /^\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}$/u;

function splitChineseNames(names: string): string[] | null {
  const parts = names.split(CHINESE_NAME_SEPARATOR).filter(Boolean);
  // 蓝 华 林: single characters spread out by justification form one name.
  const joined = parts.length > 1 && parts.every((part) => [...part].length === 1) ? [parts.join('')] : parts;
  // A name of one character beside longer ones is a word, not a name: 记者节 梅州… is a headline.
  if (joined.length > 1 && joined.some((name) => [...name].length === 1)) return null;
  return joined.every((name) => CHINESE_NAME.test(name)) ? joined : null;
}

function splitEnglishNames(names: string): string[] | null {
  const parts = names
    .split(/\s*(?:,|;|\band\b|&)\s*/i)
    .map((name) => name.trim())
    .filter(Boolean);
  return parts.every((name) => ENGLISH_NAME.test(name)) ? parts : null;
}

function capitalise(role: string): string {
  const clean = role.trim().replace(/\s+/g, ' ').toLowerCase();
  return clean.charAt(0).toUpperCase() + clean.slice(1);
}
