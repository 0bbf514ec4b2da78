import { z } from 'zod';

/** One violation in a validation problem, as the documents describe it. */
export const ProblemViolationSchema = z.object({
  pointer: z.string().meta({ description: 'JSON pointer to the offending value, e.g. /lines/0/quantity' }),
  detail: z.string(),
});

/** An RFC 9457 problem document (`application/problem+json`); extensions may add members. */
export const ProblemSchema = z.looseObject({
  type: z.string().meta({ description: 'A URI naming the problem type', format: 'uri' }),
  title: z.string(),
  status: z.number().int().min(100).max(599),
  detail: z.string(),
  errors: z.array(ProblemViolationSchema).optional(),
});
