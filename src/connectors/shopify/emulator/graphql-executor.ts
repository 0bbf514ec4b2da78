import type { FieldNode, OperationNode, ValueNode } from './graphql-parser.js';

/** One entry of a GraphQL response's `errors`. */
export interface GraphqlErrorBody {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/** Thrown by a resolver: the field becomes null and the error is reported with its path. */
export class FieldError extends Error {
  constructor(
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** What a resolver learns about the field it resolves. */
export interface ResolveInfo {
  field: FieldNode;
  /** The arguments of a directive on this field (resolved against the variables), if present. */
  directive(name: string): Record<string, unknown> | undefined;
}

/** A field of a node: a value, or a function of the field's arguments. */
export type Resolver = (args: Record<string, unknown>, info: ResolveInfo) => unknown;

/** The value of a literal or variable. */
export function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case 'variable':
      return variables[node.name];
    case 'null':
      return null;
    case 'list':
      return node.values.map((v) => valueOf(v, variables));
    case 'object':
      return Object.fromEntries(
        Object.entries(node.fields)
          .map(([k, v]) => [k, valueOf(v, variables)] as const)
          .filter(([, v]) => v !== undefined),
      );
    default:
      return node.value;
  }
}

function argumentValues(args: Record<string, ValueNode>, variables: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, node] of Object.entries(args)) {
    const value = valueOf(node, variables);
    if (value !== undefined) result[name] = value;
  }
  return result;
}

/** The variables with defaults applied, or the errors Shopify answers for a missing required one. */
export function coerceVariables(operation: OperationNode, provided: Record<string, unknown>): { variables: Record<string, unknown> } | { errors: GraphqlErrorBody[] } {
  const variables: Record<string, unknown> = {};
  const errors: GraphqlErrorBody[] = [];
  for (const definition of operation.variables) {
    const given = provided[definition.name];
    const value = given === undefined && definition.defaultValue ? valueOf(definition.defaultValue, {}) : given;
    if (definition.nonNull && (value === undefined || value === null)) {
      errors.push({
        message: `Variable $${definition.name} of type ${definition.type}! was provided invalid value`,
        extensions: { code: 'INVALID_VARIABLE', value: value ?? null, problems: [{ path: [], explanation: 'Expected value to not be null' }] },
      });
      continue;
    }
    if (value !== undefined) variables[definition.name] = value;
  }
  return errors.length > 0 ? { errors } : { variables };
}

function sizeOf(field: FieldNode, variables: Record<string, unknown>): number | undefined {
  const node = field.arguments['first'] ?? field.arguments['last'];
  if (!node) return undefined;
  const size = valueOf(node, variables);
  return typeof size === 'number' ? size : undefined;
}

function fieldCost(field: FieldNode, variables: Record<string, unknown>): number {
  if (!field.selectionSet) return 0;
  const size = sizeOf(field, variables);
  if (size === undefined) return 1 + selectionCost(field.selectionSet, variables);
  const perItem = field.selectionSet.filter((f) => f.name !== 'pageInfo');
  const fixed = field.selectionSet.filter((f) => f.name === 'pageInfo');
  return 2 + size * selectionCost(perItem, variables) + selectionCost(fixed, variables);
}

function selectionCost(fields: FieldNode[], variables: Record<string, unknown>): number {
  return fields.reduce((total, field) => total + fieldCost(field, variables), 0);
}

/**
 * Shopify-style requested cost, computed before running: scalars 0, objects 1, connections
 * (fields with first/last) 2 + size × their selection (pageInfo once), mutations 10 + their selection.
 */
export function requestedCost(operation: OperationNode, variables: Record<string, unknown>): number {
  if (operation.operation === 'query') return selectionCost(operation.selectionSet, variables);
  return operation.selectionSet.reduce((total, field) => total + 10 + selectionCost(field.selectionSet ?? [], variables), 0);
}

interface Context {
  variables: Record<string, unknown>;
  errors: GraphqlErrorBody[];
  cost: number;
}

function complete(value: unknown, field: FieldNode, path: (string | number)[], context: Context, charge: number): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map((item, i) => complete(item, field, [...path, i], context, 1));
  if (typeof value === 'bigint') return value.toString();
  if (!field.selectionSet || typeof value !== 'object') return value;
  context.cost += sizeOf(field, context.variables) === undefined ? charge : 2;
  return resolveSelection(value as Record<string, unknown>, field.selectionSet, path, context);
}

function resolveSelection(parent: Record<string, unknown>, fields: FieldNode[], path: (string | number)[], context: Context): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of fields) {
    const key = field.alias ?? field.name;
    if (field.name === '__typename') {
      result[key] = parent['__typename'] ?? null;
      continue;
    }
    const at = [...path, key];
    try {
      let value = parent[field.name];
      if (typeof value === 'function') {
        const info: ResolveInfo = {
          field,
          directive: (name) => {
            const directive = field.directives.find((d) => d.name === name);
            return directive ? argumentValues(directive.arguments, context.variables) : undefined;
          },
        };
        value = (value as Resolver)(argumentValues(field.arguments, context.variables), info);
      }
      result[key] = complete(value, field, at, context, 1);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      context.errors.push({ message: error.message, locations: [{ line: field.line, column: field.column }], path: at, extensions: error.extensions });
      result[key] = null;
    }
  }
  return result;
}

/** Fields the root type does not have: a validation error, so nothing runs. */
export function unknownRootFields(operation: OperationNode, root: Record<string, unknown>, typeName: string): GraphqlErrorBody[] {
  return operation.selectionSet
    .filter((field) => field.name !== '__typename' && !(field.name in root))
    .map((field) => ({
      message: `Field '${field.name}' doesn't exist on type '${typeName}'`,
      locations: [{ line: field.line, column: field.column }],
      path: [operation.operation === 'query' ? 'query' : 'mutation', field.name],
      extensions: { code: 'undefinedField', typeName, fieldName: field.name },
    }));
}

/** Runs an operation against root values/resolvers (mutation fields in order); returns data, field errors and the actual cost. */
export function execute(operation: OperationNode, root: Record<string, unknown>, variables: Record<string, unknown>): { data: Record<string, unknown>; errors: GraphqlErrorBody[]; actualCost: number } {
  const context: Context = { variables, errors: [], cost: 0 };
  const data: Record<string, unknown> = {};
  for (const field of operation.selectionSet) {
    Object.assign(data, resolveSelection(root, [field], [], context));
    if (operation.operation === 'mutation') context.cost += 9;
  }
  return { data, errors: context.errors, actualCost: context.cost };
}
