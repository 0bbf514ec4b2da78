/** One `field:value` term of a Shopify search query (`field` undefined for a bare word). */
interface Term {
  field: string | undefined;
  value: string;
  negated: boolean;
}

/** A parsed Shopify search query: any of the groups matches when all of its terms do. */
export type SearchQuery = Term[][];

function tokens(text: string): string[] {
  const result: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted && char === '\\' && i + 1 < text.length) {
      current += text[++i];
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && /\s/.test(char)) {
      if (current !== '') result.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current !== '') result.push(current);
  return result;
}

/**
 * Parses the subset of Shopify's search syntax the emulator filters by: `field:value` terms
 * (values quoted with `"…"`, a trailing `*` for a prefix), implicit or explicit AND, OR between
 * groups, and `-field:value` / `NOT field:value` for negation.
 */
export function parseSearchQuery(text: string): SearchQuery {
  const groups: SearchQuery = [[]];
  let negateNext = false;
  for (const token of tokens(text)) {
    if (token === 'AND') continue;
    if (token === 'OR') {
      groups.push([]);
      continue;
    }
    if (token === 'NOT') {
      negateNext = true;
      continue;
    }
    const negated = negateNext || token.startsWith('-');
    negateNext = false;
    const body = token.startsWith('-') ? token.slice(1) : token;
    const colon = body.indexOf(':');
    const term: Term = colon > 0 ? { field: body.slice(0, colon).toLowerCase(), value: body.slice(colon + 1), negated } : { field: undefined, value: body, negated };
    groups.at(-1)!.push(term);
  }
  return groups.filter((group) => group.length > 0);
}

function valueMatches(pattern: string, value: string | null): boolean {
  if (value === null) return false;
  const actual = value.toLowerCase();
  const wanted = pattern.toLowerCase();
  return wanted.endsWith('*') ? actual.startsWith(wanted.slice(0, -1)) : actual === wanted;
}

/**
 * Whether a record matches: `fields` are the searchable values by field name (case-insensitive
 * equality, as Shopify compares SKUs); a bare word matches when any field contains it; terms on
 * fields the record does not have are ignored, as Shopify ignores unknown search fields.
 */
export function matchesSearch(query: SearchQuery, fields: Readonly<Record<string, string | null>>): boolean {
  if (query.length === 0) return true;
  const holds = (term: Term): boolean => {
    if (term.field !== undefined && !(term.field in fields)) return true;
    const hit =
      term.field === undefined
        ? Object.values(fields).some((v) => v !== null && v.toLowerCase().includes(term.value.toLowerCase()))
        : valueMatches(term.value, fields[term.field] ?? null);
    return hit !== term.negated;
  };
  return query.some((group) => group.every(holds));
}
