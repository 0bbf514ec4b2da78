import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor, type Ledger } from '../../flows/index.js';
import type { GatewayDeps } from '../deps.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem, type ProblemViolation } from '../problem.js';
import { parseLimit } from './paging.js';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** One journal entry: balanced lines per currency, the events behind it, and the ERP document it became. */
export const JournalEntryView = z.object({
  id: z.string(),
  date: z.string(),
  lines: z.array(z.object({ account: z.string(), debit: z.int(), credit: z.int(), currency: z.string(), partyType: z.string().optional(), party: z.string().optional() })),
  sourceEvents: z.array(z.string()),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  orderId: z.string().nullable(),
  memo: z.string().nullable(),
  status: z.string(),
  erpDocument: z.string().nullable(),
  erpDocuments: z.record(z.string(), z.string()),
  error: z.string().nullable(),
});

/** A page of journal entries, oldest first. */
export const JournalPage = z.object({ data: z.array(JournalEntryView), nextCursor: z.string().nullable() });

/** `GET /v1/journal?orderId=&correlationId=&from=&to=`: the journal with its lineage. */
export async function journalRoutes(app: FastifyInstance, deps: GatewayDeps & { ledger?: Ledger | undefined }): Promise<void> {
  const ledger = deps.ledger;
  if (!ledger) return;
  app.get('/v1/journal', { config: { meta: { scope: 'finance:read', summary: 'Journal entries by order, correlation id and date, each with the events behind it and its ERP document', tags: ['finance'], schemas: { responses: { 200: { description: 'Journal entries, oldest first', schema: JournalPage }, 400: { description: 'Invalid filter', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const errors: ProblemViolation[] = [];
    const limit = parseLimit(query['limit'], errors, 100);
    for (const name of ['from', 'to'] as const) {
      if (query[name] !== undefined && !isoDate.test(query[name])) errors.push({ pointer: `/query/${name}`, detail: `${name} is a date (YYYY-MM-DD)` });
    }
    const after = query['cursor'] === undefined ? undefined : decodeCursor<string>(query['cursor'], 'string');
    if (query['cursor'] !== undefined && (after === undefined || !after.includes('|'))) errors.push({ pointer: '/query/cursor', detail: 'cursor is not one this API returned' });
    if (errors.length > 0) return sendProblem(reply, problem(400, 'invalid-query', 'Invalid query', 'the query parameters are not valid', { errors }));
    const [date, id] = after ? (after.split('|') as [string, string]) : [undefined, undefined];
    const rows = await ledger.list({ orderId: query['orderId'], correlationId: query['correlationId'], from: query['from'], to: query['to'] }, { limit: limit + 1, ...(date && id ? { after: { date, id } } : {}) });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { data: page, nextCursor: rows.length > limit && last ? encodeCursor(`${last.date}|${last.id}`) : null };
  });
}
