import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a test receiver got. */
export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** How a test receiver answers a request: a status and optional headers. */
export type ReceiverAnswer = { status: number; headers?: Record<string, string> };

/** A real HTTP webhook receiver on 127.0.0.1 for tests, answering as `answer` says (200 by default). */
export interface TestReceiver {
  url: string;
  received: ReceivedWebhook[];
  answer: (request: ReceivedWebhook, index: number) => ReceiverAnswer;
  close(): Promise<void>;
}

/** Starts a test receiver on an ephemeral port of 127.0.0.1. */
export async function startTestReceiver(): Promise<TestReceiver> {
  const receiver: TestReceiver = {
    url: '',
    received: [],
    answer: () => ({ status: 200 }),
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      const index = receiver.received.push(request) - 1;
      const { status, headers } = receiver.answer(request, index);
      res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(status < 300 ? 'ok' : `answered ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/hooks`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
