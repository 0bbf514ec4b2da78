import { z } from 'zod';
import { entitySchemas } from '../../model/index.js';
import * as responses from '../routes/responses.js';
import { ProblemSchema, ProblemViolationSchema } from './problem-schema.js';
import type { SchemaNames } from './json-schema.js';

/**
 * The zod schemas published as named components: the canonical entities, the problem document
 * and the route response shapes. Anything else is inlined where it is used.
 */
export function defaultSchemaNames(): SchemaNames {
  const names = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(entitySchemas)) names.add(schema, { id });
  names.add(ProblemSchema, { id: 'Problem' });
  names.add(ProblemViolationSchema, { id: 'ProblemViolation' });
  for (const [id, schema] of Object.entries(responses)) {
    if (schema instanceof z.ZodType && !names.has(schema)) names.add(schema, { id });
  }
  return names;
}
