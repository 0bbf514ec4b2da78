import { describe, expect, it } from 'vitest';
import { coerceVariables, execute, FieldError, requestedCost } from './graphql-executor.js';
import { GraphqlSyntaxError, parseGraphql } from './graphql-parser.js';

describe('emulator GraphQL', () => {
  it('parses operations with variables, defaults, aliases, directives and fragments', () => {
    const [operation] = parseGraphql(`
      # a comment
      query Items($first: Int = 3, $ids: [ID!]!, $after: String) @cached {
        first: items(first: $first, after: $after, filter: { tag: "a\\"b", on: true, ratio: 1.5, kind: BIG, none: null }) {
          ...ItemFields
          ... on Item { extra @skipMe }
        }
      }
      fragment ItemFields on Item { id name }
    `);
    expect(operation).toMatchObject({ operation: 'query', name: 'Items', variables: [{ name: 'first', type: 'Int', nonNull: false }, { name: 'ids', type: '[ID!]', nonNull: true }, { name: 'after' }] });
    const field = operation!.selectionSet[0]!;
    expect(field).toMatchObject({ alias: 'first', name: 'items', line: 4 });
    expect(field.selectionSet!.map((f) => f.name)).toEqual(['id', 'name', 'extra']);
    expect(field.selectionSet![2]!.directives).toEqual([{ name: 'skipMe', arguments: {} }]);
    expect(field.arguments['filter']).toEqual({
      kind: 'object',
      fields: { tag: { kind: 'string', value: 'a"b' }, on: { kind: 'boolean', value: true }, ratio: { kind: 'float', value: 1.5 }, kind: { kind: 'enum', value: 'BIG' }, none: { kind: 'null' } },
    });
  });

  it('reports syntax errors with their position', () => {
    expect(() => parseGraphql('{ shop { name }')).toThrow(GraphqlSyntaxError);
    const error = (() => {
      try {
        parseGraphql('query {\n  shop(id: ) { name } }');
        return undefined;
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toMatchObject({ line: 2, column: 12, message: 'Parse error on ")" (expected a value)' });
  });

  it('applies defaults and refuses a missing required variable', () => {
    const [operation] = parseGraphql('query Q($first: Int = 3, $id: ID!) { node(id: $id) { id } }');
    expect(coerceVariables(operation!, { id: 'x' })).toEqual({ variables: { first: 3, id: 'x' } });
    expect(coerceVariables(operation!, {})).toEqual({
      errors: [{ message: 'Variable $id of type ID! was provided invalid value', extensions: { code: 'INVALID_VARIABLE', value: null, problems: [{ path: [], explanation: 'Expected value to not be null' }] } }],
    });
  });

  it('computes Shopify-style requested cost and resolves selections with aliases, arguments and field errors', () => {
    const [operation] = parseGraphql('query Q($n: Int!) { a: list(first: $n) { nodes { id child { id } } pageInfo { hasNextPage } } broken { id } __typename }');
    const variables = { n: 10 };
    expect(requestedCost(operation!, variables)).toBe(2 + 10 * 2 + 1 + 1);
    const root = {
      __typename: 'QueryRoot',
      list: (args: Record<string, unknown>) => ({ nodes: [1, 2].slice(0, Number(args['first'])).map((id) => ({ id, child: { id: `c${id}` } })), pageInfo: { hasNextPage: false } }),
      broken: () => {
        throw new FieldError('nope', { code: 'BROKEN' });
      },
    };
    const result = execute(operation!, root, variables);
    expect(result.data).toEqual({ a: { nodes: [{ id: 1, child: { id: 'c1' } }, { id: 2, child: { id: 'c2' } }], pageInfo: { hasNextPage: false } }, broken: null, __typename: 'QueryRoot' });
    expect(result.errors).toEqual([{ message: 'nope', locations: [{ line: 1, column: 95 }], path: ['broken'], extensions: { code: 'BROKEN' } }]);
    expect(result.actualCost).toBe(2 + 2 * 2 + 1);
    const [mutation] = parseGraphql('mutation { doIt { result { id } } }');
    expect(requestedCost(mutation!, {})).toBe(11);
  });
});
