/**
 * A small GraphQL parser for the emulator: operations (query/mutation) with variables, fields with
 * aliases, arguments, directives and selection sets, named fragments and inline fragments (type
 * conditions are not checked). Enough for what Shopify apps send; no schema validation.
 */

/** A literal or variable in a document. */
export type ValueNode =
  | { kind: 'variable'; name: string }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'enum'; value: string }
  | { kind: 'list'; values: ValueNode[] }
  | { kind: 'object'; fields: Record<string, ValueNode> };

/** `@name(args)` on a field or operation. */
export interface DirectiveNode {
  name: string;
  arguments: Record<string, ValueNode>;
}

/** A selected field (fragments are already expanded into fields). */
export interface FieldNode {
  alias: string | undefined;
  name: string;
  arguments: Record<string, ValueNode>;
  directives: DirectiveNode[];
  selectionSet: FieldNode[] | undefined;
  line: number;
  column: number;
}

/** `$name: Type = default`. */
export interface VariableDefinition {
  name: string;
  type: string;
  nonNull: boolean;
  defaultValue: ValueNode | undefined;
}

/** One operation of a document. */
export interface OperationNode {
  operation: 'query' | 'mutation';
  name: string | undefined;
  variables: VariableDefinition[];
  selectionSet: FieldNode[];
}

/** A syntax error with its position, reported like Shopify's parse errors. */
export class GraphqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

interface Token {
  kind: 'punct' | 'name' | 'int' | 'float' | 'string' | 'eof';
  value: string;
  at: number;
}

const PUNCT = new Set(['!', '$', '(', ')', ':', '=', '@', '[', ']', '{', '}', '|', '&']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, at: number): never => {
    const before = source.slice(0, at).split('\n');
    throw new GraphqlSyntaxError(message, before.length, (before.at(-1)?.length ?? 0) + 1);
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',' || c === '\ufeff') {
      i += 1;
    } else if (c === '#') {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', at: i });
      i += 3;
    } else if (PUNCT.has(c)) {
      tokens.push({ kind: 'punct', value: c, at: i });
      i += 1;
    } else if (/[_A-Za-z]/.test(c)) {
      const match = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'name', value: match[0], at: i });
      i += match[0].length;
    } else if (/[-0-9]/.test(c)) {
      const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      if (!match) fail(`Unexpected character ${JSON.stringify(c)}`, i);
      tokens.push({ kind: match![1] || match![2] ? 'float' : 'int', value: match![0], at: i });
      i += match![0].length;
    } else if (source.startsWith('"""', i)) {
      const end = source.indexOf('"""', i + 3);
      if (end < 0) fail('Unterminated string', i);
      tokens.push({ kind: 'string', value: source.slice(i + 3, end).replace(/\\"""/g, '"""'), at: i });
      i = end + 3;
    } else if (c === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const d = source[j];
        if (d === undefined || d === '\n') fail('Unterminated string', i);
        if (d === '"') break;
        if (d === '\\') {
          const e = source[j + 1];
          const escapes: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e === 'u') {
            value += String.fromCharCode(parseInt(source.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          if (e === undefined || escapes[e] === undefined) fail('Invalid escape in string', j);
          value += escapes[e!];
          j += 2;
          continue;
        }
        value += d;
        j += 1;
      }
      tokens.push({ kind: 'string', value, at: i });
      i = j + 1;
    } else {
      fail(`Unexpected character ${JSON.stringify(c)}`, i);
    }
  }
  tokens.push({ kind: 'eof', value: '<EOF>', at: source.length });
  return tokens;
}

type RawSelection = FieldNode | { spread: string } | { inline: RawSelection[] };

/** Parses a document into its operations, with fragment spreads expanded. */
export function parseGraphql(source: string): OperationNode[] {
  const tokens = tokenize(source);
  let p = 0;
  const position = (at: number) => {
    const before = source.slice(0, at).split('\n');
    return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
  };
  const peek = () => tokens[p]!;
  const fail = (message: string): never => {
    const { line, column } = position(peek().at);
    throw new GraphqlSyntaxError(message, line, column);
  };
  const next = () => tokens[p++]!;
  const isPunct = (value: string) => peek().kind === 'punct' && peek().value === value;
  const expectPunct = (value: string) => {
    if (!isPunct(value)) fail(`Parse error on "${peek().value}" (expected "${value}")`);
    return next();
  };
  const expectName = () => {
    if (peek().kind !== 'name') fail(`Parse error on "${peek().value}" (expected a name)`);
    return next().value;
  };

  const value = (constant: boolean): ValueNode => {
    const token = peek();
    if (token.kind === 'punct' && token.value === '$' && !constant) {
      next();
      return { kind: 'variable', name: expectName() };
    }
    if (token.kind === 'int' || token.kind === 'float') {
      next();
      return { kind: token.kind, value: Number(token.value) };
    }
    if (token.kind === 'string') {
      next();
      return { kind: 'string', value: token.value };
    }
    if (token.kind === 'name') {
      next();
      if (token.value === 'true' || token.value === 'false') return { kind: 'boolean', value: token.value === 'true' };
      if (token.value === 'null') return { kind: 'null' };
      return { kind: 'enum', value: token.value };
    }
    if (isPunct('[')) {
      next();
      const values: ValueNode[] = [];
      while (!isPunct(']')) values.push(value(constant));
      next();
      return { kind: 'list', values };
    }
    if (isPunct('{')) {
      next();
      const fields: Record<string, ValueNode> = {};
      while (!isPunct('}')) {
        const name = expectName();
        expectPunct(':');
        fields[name] = value(constant);
      }
      next();
      return { kind: 'object', fields };
    }
    return fail(`Parse error on "${token.value}" (expected a value)`);
  };

  const args = (): Record<string, ValueNode> => {
    const result: Record<string, ValueNode> = {};
    if (!isPunct('(')) return result;
    next();
    while (!isPunct(')')) {
      const name = expectName();
      expectPunct(':');
      result[name] = value(false);
    }
    next();
    return result;
  };

  const directives = (): DirectiveNode[] => {
    const result: DirectiveNode[] = [];
    while (isPunct('@')) {
      next();
      result.push({ name: expectName(), arguments: args() });
    }
    return result;
  };

  const selectionSet = (): RawSelection[] => {
    expectPunct('{');
    const selections: RawSelection[] = [];
    while (!isPunct('}')) {
      if (peek().kind === 'eof') fail('Parse error on "<EOF>" (expected "}")');
      if (isPunct('...')) {
        next();
        if (peek().kind === 'name' && peek().value !== 'on') {
          selections.push({ spread: next().value });
          directives();
        } else {
          if (peek().kind === 'name' && peek().value === 'on') {
            next();
            expectName();
          }
          directives();
          selections.push({ inline: selectionSet() });
        }
        continue;
      }
      const { line, column } = position(peek().at);
      let name = expectName();
      let alias: string | undefined;
      if (isPunct(':')) {
        next();
        alias = name;
        name = expectName();
      }
      const fieldArgs = args();
      const fieldDirectives = directives();
      const sub = isPunct('{') ? selectionSet() : undefined;
      selections.push({ alias, name, arguments: fieldArgs, directives: fieldDirectives, selectionSet: sub as FieldNode[] | undefined, line, column });
    }
    next();
    return selections;
  };

  const typeRef = (): { type: string; nonNull: boolean } => {
    let type: string;
    if (isPunct('[')) {
      next();
      const inner = typeRef();
      expectPunct(']');
      type = `[${inner.type}${inner.nonNull ? '!' : ''}]`;
    } else {
      type = expectName();
    }
    const nonNull = isPunct('!');
    if (nonNull) next();
    return { type, nonNull };
  };

  const raw: { operation: 'query' | 'mutation'; name: string | undefined; variables: VariableDefinition[]; selections: RawSelection[] }[] = [];
  const fragments = new Map<string, RawSelection[]>();
  while (peek().kind !== 'eof') {
    if (isPunct('{')) {
      raw.push({ operation: 'query', name: undefined, variables: [], selections: selectionSet() });
      continue;
    }
    const keyword = expectName();
    if (keyword === 'fragment') {
      const name = expectName();
      if (expectName() !== 'on') fail('Parse error (expected "on")');
      expectName();
      directives();
      fragments.set(name, selectionSet());
      continue;
    }
    if (keyword !== 'query' && keyword !== 'mutation') fail(`Parse error on "${keyword}" (expected query, mutation or fragment)`);
    const name = peek().kind === 'name' ? next().value : undefined;
    const variables: VariableDefinition[] = [];
    if (isPunct('(')) {
      next();
      while (!isPunct(')')) {
        expectPunct('$');
        const variable = expectName();
        expectPunct(':');
        const { type, nonNull } = typeRef();
        let defaultValue: ValueNode | undefined;
        if (isPunct('=')) {
          next();
          defaultValue = value(true);
        }
        directives();
        variables.push({ name: variable, type, nonNull, defaultValue });
      }
      next();
    }
    directives();
    raw.push({ operation: keyword as 'query' | 'mutation', name, variables, selections: selectionSet() });
  }

  const expand = (selections: RawSelection[], seen: Set<string>): FieldNode[] =>
    selections.flatMap((selection): FieldNode[] => {
      if ('spread' in selection) {
        const fragment = fragments.get(selection.spread);
        if (!fragment) throw new GraphqlSyntaxError(`Fragment ${selection.spread} was used, but not defined`, 1, 1);
        if (seen.has(selection.spread)) throw new GraphqlSyntaxError(`Fragment ${selection.spread} contains an infinite loop`, 1, 1);
        return expand(fragment, new Set([...seen, selection.spread]));
      }
      if ('inline' in selection) return expand(selection.inline, seen);
      return [{ ...selection, selectionSet: selection.selectionSet ? expand(selection.selectionSet as RawSelection[], seen) : undefined }];
    });

  return raw.map((operation) => ({
    operation: operation.operation,
    name: operation.name,
    variables: operation.variables,
    selectionSet: expand(operation.selections, new Set()),
  }));
}
