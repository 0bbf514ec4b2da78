import { z } from 'zod';

/** A JSON Schema object, as OpenAPI 3.1 embeds it. */
export type JsonSchema = Record<string, unknown>;

/** Names zod schemas so the documents reference them as reusable components. */
export type SchemaNames = z.core.$ZodRegistry<{ id: string }>;

/** Which side of the wire a schema describes: what clients send, or what they receive. */
export type SchemaIo = 'input' | 'output';

const defsPrefixes = ['#/$defs/', '#/definitions/'];

/** Metadata from `.meta()` (the global registry, e.g. descriptions) overlaid with our component names. */
class NamedMetadata extends z.core.$ZodRegistry<Record<string, unknown>> {
  constructor(private readonly names: SchemaNames) {
    super();
  }

  override get(schema: z.core.$ZodType): Record<string, unknown> | undefined {
    const global = z.globalRegistry.get(schema);
    const named = this.names.get(schema);
    return global === undefined && named === undefined ? undefined : { ...global, ...named };
  }
}

/**
 * Converts zod schemas to JSON Schema (draft 2020-12) and collects the named ones (and any
 * cyclic parts) as shared components; `$ref`s point at `refBase` + the component name. A name
 * whose input and output forms differ gets an `Input`/`Output` suffix on the second form seen.
 */
export class SchemaComponents {
  /** The collected components, by name. */
  readonly schemas: Record<string, JsonSchema> = {};

  private readonly metadata: NamedMetadata;

  constructor(
    names: SchemaNames,
    private readonly refBase = '#/components/schemas/',
    private readonly target: 'draft-2020-12' | 'draft-7' = 'draft-2020-12',
  ) {
    this.metadata = new NamedMetadata(names);
  }

  /** The JSON Schema of `schema` as seen in direction `io`; named sub-schemas become `$ref`s. */
  convert(schema: z.ZodType, io: SchemaIo): JsonSchema {
    const json = z.toJSONSchema(schema, { target: this.target, io, unrepresentable: 'any', metadata: this.metadata, cycles: 'ref', reused: 'inline' }) as JsonSchema;
    const { $schema: _schema, $defs, definitions, ...root } = json;
    const defs = ($defs ?? definitions ?? {}) as Record<string, JsonSchema>;
    const rename = new Map(Object.keys(defs).map((name) => [name, name]));
    for (let round = 0; round < 5; round += 1) {
      let changed = false;
      for (const [name, def] of Object.entries(defs)) {
        const wanted = this.nameFor(name, io, JSON.stringify(rewrite(def, rename, this.refBase)));
        if (wanted !== rename.get(name)) {
          rename.set(name, wanted);
          changed = true;
        }
      }
      if (!changed) break;
    }
    for (const [name, def] of Object.entries(defs)) this.schemas[rename.get(name) ?? name] = rewrite(def, rename, this.refBase) as JsonSchema;
    return rewrite(root, rename, this.refBase) as JsonSchema;
  }

  /** The schema a local `$ref` points at, or the schema itself when it is no reference. */
  resolve(schema: JsonSchema): JsonSchema {
    const ref = schema.$ref;
    if (typeof ref !== 'string' || !ref.startsWith(this.refBase)) return schema;
    return this.schemas[ref.slice(this.refBase.length)] ?? schema;
  }

  /** A name holding this very content already, else the first free one: `base`, `base` + Input/Output, `base2`… */
  private nameFor(base: string, io: SchemaIo, content: string): string {
    const candidates = [base, `${base}${io === 'input' ? 'Input' : 'Output'}`];
    for (let n = 2; n < 100; n += 1) candidates.push(`${base}${n}`);
    const same = candidates.find((name) => this.schemas[name] !== undefined && JSON.stringify(this.schemas[name]) === content);
    if (same !== undefined) return same;
    const free = candidates.find((name) => this.schemas[name] === undefined);
    if (free !== undefined) return free;
    throw new Error(`no free component name for ${base}`);
  }
}

function rewrite(value: unknown, rename: Map<string, string>, refBase: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, rename, refBase));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const prefix = key === '$ref' && typeof v === 'string' ? defsPrefixes.find((p) => v.startsWith(p)) : undefined;
    if (prefix !== undefined) {
      const name = (v as string).slice(prefix.length);
      out[key] = `${refBase}${rename.get(name) ?? name}`;
    } else {
      out[key] = rewrite(v, rename, refBase);
    }
  }
  return out;
}
