/** One webhook an emulator sends to the hub. */
export interface OutgoingWebhook {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Delivery behaviour, as the vendor's own sender would vary it. */
export interface DeliveryOptions {
  /** Send each webhook twice (the second copy later), as vendors do on retries. */
  duplicate?: boolean;
  /** Extra delay before sending, in ms (used to deliver events out of order). */
  delayMs?: number;
  /** Attempts when the hub does not answer 2xx (default 5, with backoff from 200 ms). */
  attempts?: number;
}

/** What happened to one delivery, kept by the emulator for its state page and tests. */
export interface DeliveryRecord {
  url: string;
  topic: string;
  status: number | null;
  attempts: number;
  error?: string;
}

/**
 * Sends signed webhooks like a vendor: at least once, retried with backoff while the receiver
 * fails, optionally duplicated or delayed. Deliveries run in the background; `idle()` awaits them.
 */
export function createWebhookSender(options: { fetch?: typeof fetch; log?: (record: DeliveryRecord) => void } = {}) {
  const doFetch = options.fetch ?? fetch;
  const pending = new Set<Promise<void>>();
  const records: DeliveryRecord[] = [];

  const deliverOnce = async (webhook: OutgoingWebhook, topic: string, attempts: number) => {
    const record: DeliveryRecord = { url: webhook.url, topic, status: null, attempts: 0 };
    for (let n = 1; n <= attempts; n++) {
      record.attempts = n;
      try {
        const response = await doFetch(webhook.url, { method: 'POST', headers: webhook.headers, body: webhook.body, signal: AbortSignal.timeout(10_000) });
        record.status = response.status;
        await response.arrayBuffer().catch(() => undefined);
        // 401 means a wrong secret: the vendor stops too (retrying cannot fix a signature).
        if (response.ok || response.status === 401) break;
      } catch (error) {
        record.error = (error as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** (n - 1)));
    }
    records.push(record);
    if (records.length > 1000) records.shift();
    options.log?.(record);
  };

  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  return {
    send(webhook: OutgoingWebhook, topic: string, delivery: DeliveryOptions = {}) {
      const attempts = delivery.attempts ?? 5;
      const start = async () => {
        if (delivery.delayMs) await new Promise((resolve) => setTimeout(resolve, delivery.delayMs));
        await deliverOnce(webhook, topic, attempts);
        if (delivery.duplicate) await deliverOnce(webhook, topic, attempts);
      };
      track(start());
    },
    deliveries: (): readonly DeliveryRecord[] => records,
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** A webhook sender. */
export type WebhookSender = ReturnType<typeof createWebhookSender>;
