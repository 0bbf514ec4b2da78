import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { messageDetail } from '../../messaging/index.js';
import { editDeadLetterPayload, getMessageRow, listMessageEdits } from '../../store/index.js';
import type { GatewayDeps } from '../deps.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem } from '../problem.js';
import { zodViolations } from './request.js';
import { MessageEditView, presentEdit } from './messages.js';
import { DeadLetterView } from './responses.js';

/** `PUT /v1/dead-letters/{id}/payload`: the corrected payload and why it was changed. */
export const EditPayloadRequest = z.object({
  payload: z.record(z.string(), z.unknown()).meta({ description: "The new payload; validated against the message type's schema when the hub knows the type" }),
  note: z.string().min(1).max(1000).meta({ description: 'Why the payload was changed (kept in the audit log and the message history)' }),
});

/** 200 body of `PUT /v1/dead-letters/{id}/payload`: the dead letter as it is now, with its edits. */
export const EditedDeadLetter = DeadLetterView.extend({ edits: z.array(MessageEditView) });

/** Audited editing of a dead letter's payload, so it can be fixed and then replayed. */
export async function deadLetterEditRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  app.put<{ Params: { id: string } }>('/v1/dead-letters/:id/payload', { config: { meta: { scope: 'admin', summary: "Replace a dead letter's payload (validated against its message type, audited) before replaying it", tags: ['dead letters'], schemas: { params: z.object({ id: z.string() }), body: EditPayloadRequest, responses: { 200: { description: 'The dead letter with its new payload and edit history', schema: EditedDeadLetter }, 404: { description: 'No such message', schema: ProblemSchema }, 409: { description: 'The message is not a dead letter', schema: ProblemSchema }, 422: { description: 'The request or the new payload is not valid', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const { id } = request.params;
    const body = EditPayloadRequest.safeParse(request.body ?? undefined);
    if (!body.success) {
      return sendProblem(reply, problem(422, 'invalid-request', 'Invalid request', 'the edit request is not valid', { errors: zodViolations(body.error) }));
    }
    const message = await getMessageRow(deps.store.db, id);
    if (!message) return sendProblem(reply, problem(404, 'not-found', 'Not found', `no message ${id}`));
    const notDead = () => sendProblem(reply, problem(409, 'not-dead-lettered', 'Not a dead letter', `message ${id} is not in the dead letters`));
    if (message.status !== 'dead') return notDead();
    const definition = deps.messageTypes?.get(message.type);
    if (definition) {
      const valid = definition.data.safeParse(body.data.payload);
      if (!valid.success) {
        return sendProblem(reply, problem(422, 'invalid-payload', 'Invalid payload', `the payload does not match message type ${message.type}`, { errors: zodViolations(valid.error, '/payload') }));
      }
    }
    const outcome = await editDeadLetterPayload(deps.store.db, {
      id,
      data: JSON.stringify(body.data.payload),
      actor: request.principal?.name ?? 'unknown',
      now: deps.clock.now(),
      note: body.data.note,
      audit: { requestId: request.id, details: { validated: definition !== undefined } },
    });
    if (outcome.outcome === 'not_found') return sendProblem(reply, problem(404, 'not-found', 'Not found', `no message ${id}`));
    if (outcome.outcome === 'not_dead') return notDead();
    const [detail, edits] = await Promise.all([messageDetail(deps.store.db, id), listMessageEdits(deps.store.db, id)]);
    return { ...detail, edits: edits.map(presentEdit) };
  });
}
