import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { publishedEvents } from '../../flows/index.js';
import { defineMessageType } from '../../messaging/index.js';
import { testStores } from '../../store/index.js';
import { startTestGateway, type TestGateway } from '../testing/harness.js';
import { buildAsyncApiDocument, eventKey, type AsyncApiDocument } from './asyncapi.js';

const stores = await testStores();

/** A CloudEvents delivery of order.accepted as a subscriber receives it. */
function orderAcceptedEvent(data: Record<string, unknown>): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: 'msg_1',
    source: 'tillbridge',
    type: 'order.accepted',
    subject: 'ord_1',
    time: '2026-11-26T10:15:01Z',
    datacontenttype: 'application/json',
    data,
    correlationid: 'cor_1',
    schemaversion: 1,
  };
}

describe.each(stores)('AsyncAPI over HTTP on $name', (factory) => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  it.skipIf(factory.skipReason !== null)('serves AsyncAPI 3.0 with one message per published event and its payload schema', async () => {
    gw = await startTestGateway(factory);
    const res = await gw.app.inject({ method: 'GET', url: '/asyncapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as AsyncApiDocument;
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.keys(doc.components.messages)).toHaveLength(publishedEvents.length);
    for (const event of publishedEvents) {
      const key = eventKey(event.type);
      const message = doc.components.messages[key]!;
      expect(message).toMatchObject({ name: event.type, contentType: 'application/cloudevents+json', headers: { $ref: '#/components/schemas/WebhookHeaders' } });
      const payload = message.payload as { properties: Record<string, Record<string, unknown>>; required: string[] };
      expect(payload.properties.type).toMatchObject({ const: event.type });
      expect(payload.properties.schemaversion).toMatchObject({ const: event.schemaVersion });
      const { $schema: _schema, ...data } = z.toJSONSchema(event.data, { target: 'draft-7', io: 'output', unrepresentable: 'any' });
      expect(payload.properties.data).toEqual(data);
      expect(payload.required).toEqual(expect.arrayContaining(['specversion', 'id', 'source', 'type', 'data']));
      expect(doc.channels[key]!.messages[key]).toEqual({ $ref: `#/components/messages/${key}` });
      const send = Object.values(doc.operations).find((op) => op.channel.$ref === `#/channels/${key}`);
      expect(send).toMatchObject({ action: 'send', bindings: { http: { method: 'POST' } } });
    }
    expect(doc.components.schemas.WebhookHeaders).toMatchObject({ required: ['webhook-id', 'webhook-timestamp', 'webhook-signature'] });
  });
});

describe('buildAsyncApiDocument', () => {
  const thing = defineMessageType({ type: 'thing.made', lane: 'bulk', schemaVersion: 3, data: z.object({ n: z.number().int() }) });

  it('gives payload schemas that accept a real delivery and reject a bad one (draft-07, as AsyncAPI reads it)', () => {
    const doc = buildAsyncApiDocument(publishedEvents, { version: '9.9.9' });
    const validate = new Ajv({ strict: false }).compile(doc.components.messages.orderAccepted!.payload);
    const data = { orderId: 'ord_1', source: 'web-store', externalId: '1001', currency: 'USD', total: 5281 };
    expect(validate(orderAcceptedEvent(data)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(orderAcceptedEvent({ ...data, total: 52.81 }))).toBe(false);
    expect(validate({ ...orderAcceptedEvent(data), type: 'order.rejected' })).toBe(false);
  });

  it('names channels, operations and messages after the event type', () => {
    const doc = buildAsyncApiDocument([thing], { version: '1.2.3' });
    expect(eventKey('thing.made')).toBe('thingMade');
    expect(doc.info.version).toBe('1.2.3');
    expect(Object.keys(doc.channels)).toEqual(['thingMade']);
    expect(Object.keys(doc.operations)).toEqual(['sendThingMade']);
    expect(doc.components.messages.thingMade).toMatchObject({ name: 'thing.made', 'x-lane': 'bulk', 'x-schema-version': 3 });
  });
});
