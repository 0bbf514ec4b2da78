import { z } from 'zod';
import { Envelope, type MessageType } from '../../messaging/index.js';
import { SchemaComponents, type JsonSchema, type SchemaNames } from './json-schema.js';

/** An AsyncAPI 3.0 document. */
export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description: string };
  defaultContentType: string;
  servers: Record<string, unknown>;
  channels: Record<string, { address: string | null; messages: Record<string, { $ref: string }> } & Record<string, unknown>>;
  operations: Record<string, { action: 'send' | 'receive'; channel: { $ref: string } } & Record<string, unknown>>;
  components: { messages: Record<string, Record<string, unknown> & { name: string; payload: JsonSchema }>; schemas: Record<string, JsonSchema> };
}

/** The content type of a CloudEvents 1.0 structured-mode JSON delivery. */
export const cloudEventsContentType = 'application/cloudevents+json';

/** The Standard Webhooks headers every delivery carries. */
const webhookHeaders: JsonSchema = {
  type: 'object',
  properties: {
    'webhook-id': { type: 'string', description: 'Unique id of the delivery; the same on retries, so receivers can deduplicate' },
    'webhook-timestamp': { type: 'string', pattern: '^[0-9]+$', description: 'Unix seconds when the delivery was signed; reject stale ones' },
    'webhook-signature': {
      type: 'string',
      description: 'Space-separated `v1,<base64 HMAC-SHA256>` signatures of `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the subscription secret (whsec_…)',
    },
  },
  required: ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
};

/** `order.accepted` → `orderAccepted`: an id AsyncAPI accepts for channels, operations and messages. */
export function eventKey(type: string): string {
  return type
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1)))
    .join('');
}

/**
 * Builds the AsyncAPI 3.0 document of the events Tillbridge publishes: one channel, message and
 * `send` operation per event; each payload is the CloudEvents envelope with `data` = the event's schema.
 */
export function buildAsyncApiDocument(events: readonly MessageType[], options: { version: string; schemaNames?: SchemaNames }): AsyncApiDocument {
  const components = new SchemaComponents(options.schemaNames ?? z.registry<{ id: string }>(), '#/components/schemas/', 'draft-7');
  const doc: AsyncApiDocument = {
    asyncapi: '3.0.0',
    info: {
      title: 'Tillbridge events',
      version: options.version,
      description:
        'Events Tillbridge publishes to subscribers (POST /v1/subscriptions, scope events:manage). Each is POSTed to the subscription URL as a CloudEvents 1.0 structured JSON document, signed per the Standard Webhooks spec, retried with backoff and delivered in order per subject.',
    },
    defaultContentType: cloudEventsContentType,
    servers: {
      subscriber: {
        host: '{subscriberHost}',
        protocol: 'https',
        description: 'The endpoint a subscriber registered; Tillbridge sends to it',
        variables: { subscriberHost: { description: 'Host (and port) of the subscription URL' } },
      },
    },
    channels: {},
    operations: {},
    components: { messages: {}, schemas: { WebhookHeaders: webhookHeaders } },
  };
  for (const event of events) {
    const key = eventKey(event.type);
    const payload = Envelope.extend({
      type: z.literal(event.type),
      schemaversion: z.literal(event.schemaVersion),
      data: event.data,
    });
    doc.components.messages[key] = {
      name: event.type,
      title: event.type,
      summary: `A ${event.type} event (schema version ${event.schemaVersion})`,
      contentType: cloudEventsContentType,
      headers: { $ref: '#/components/schemas/WebhookHeaders' },
      payload: components.convert(payload, 'output'),
      bindings: { http: { bindingVersion: '0.3.0' } },
      'x-lane': event.lane,
      'x-schema-version': event.schemaVersion,
    };
    doc.channels[key] = {
      address: null,
      title: event.type,
      description: `Deliveries of ${event.type} to the URL of each subscription that names it`,
      messages: { [key]: { $ref: `#/components/messages/${key}` } },
    };
    doc.operations[`send${key[0]!.toUpperCase()}${key.slice(1)}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${key}` },
      summary: `Send ${event.type} to subscribers over HTTP POST`,
      messages: [{ $ref: `#/channels/${key}/messages/${key}` }],
      bindings: { http: { method: 'POST', bindingVersion: '0.3.0' } },
    };
  }
  Object.assign(doc.components.schemas, components.schemas);
  return doc;
}
