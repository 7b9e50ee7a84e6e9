import type { BylineEntry } from './types.js';

// Longest first, so that 首席记者 wins over 记者 and 特约通讯员 over 通讯员.
const CHINESE_ROLES = [
  '特约通讯员', '全媒体记者', '融媒体记者', '首席记者', '本报记者', '特约记者', '见习记者', '实习记者',
  '摄影记者', '驻站记者', '通讯员', '实习生', '记者', '撰稿', '摄影', '编译', '整理', '文/图', '作者',
];
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
const TRAILING_WORDS = /[\s\u3000]*(?:报道组|报道|摄影|摄)$/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Reads a byline such as `●首席记者张柯`, `通 讯 员蓝华林`,
 * `◎ 记者 某某 实习生 某某` or `By Zhang Ke and Lan Hualin` into role/name
 * pairs. Returns `null` when the text does not start with a role, so
 * callers can use it to recognise byline lines.
 */
export function parseByline(text: string): BylineEntry[] | null {
  const body = text.replace(BULLET, '').replace(TRAILING_WORDS, '').trim();
  if (body === '') return null;
  return parseEnglishByline(body) ?? parseRoleRuns(body, CHINESE_ROLE, splitChineseNames);
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
