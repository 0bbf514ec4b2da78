import type { Db } from '../messages/types.js';

/** A capture the hub made: booked in the journal (`capture:<provider>:<reference>`) or recorded by an order's payment step. */
export interface HubCaptureRow {
  provider: string;
  /** The provider's reference of the captured payment (the PaymentIntent at Stripe). */
  reference: string;
  orderId: string | null;
  /** When the hub captured (or booked the capture), epoch ms. */
  at: number;
  amount: number | null;
  currency: string | null;
}

interface JournalLine {
  debit: number;
  currency: string;
}

interface StepRecord {
  documents?: Record<string, unknown>;
  output?: Record<string, unknown>;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * Captures of some providers the hub made in [from, to]: capture entries of the journal and the
 * finished payment steps that captured (their `capture` document, or a payment captured when
 * reported), one per provider and reference, the earliest time kept.
 */
export async function listHubCaptures(db: Db, filter: { providers: readonly string[]; from: number; to: number }): Promise<HubCaptureRow[]> {
  const providers = new Set(filter.providers);
  if (providers.size === 0) return [];
  const found = new Map<string, HubCaptureRow>();
  const keep = (row: HubCaptureRow) => {
    const key = `${row.provider}:${row.reference}`;
    const seen = found.get(key);
    if (!seen) found.set(key, row);
    else found.set(key, { ...seen, at: Math.min(seen.at, row.at), orderId: seen.orderId ?? row.orderId, amount: seen.amount ?? row.amount, currency: seen.currency ?? row.currency });
  };
  const entries = await db
    .selectFrom('journal_entries')
    .select(['key', 'order_id', 'created_at', 'lines'])
    .where('key', 'like', 'capture:%')
    .where('created_at', '>=', filter.from)
    .where('created_at', '<=', filter.to)
    .execute();
  for (const entry of entries) {
    const [, provider, ...rest] = entry.key.split(':');
    const reference = rest.join(':');
    if (!provider || !providers.has(provider) || reference.length === 0) continue;
    const lines = JSON.parse(entry.lines) as JournalLine[];
    const currency = lines[0]?.currency ?? null;
    const amount = currency === null ? null : lines.filter((l) => l.currency === currency).reduce((sum, l) => sum + Number(l.debit), 0);
    keep({ provider, reference, orderId: entry.order_id, at: Number(entry.created_at), amount, currency });
  }
  const steps = await db
    .selectFrom('workflow_steps as s')
    .innerJoin('workflow_runs as r', 'r.id', 's.run_id')
    .select(['r.order_id', 's.system', 's.output', 's.finished_at'])
    .where('s.status', '=', 'done')
    .where('s.system', 'in', [...providers])
    .where('s.finished_at', '>=', filter.from)
    .where('s.finished_at', '<=', filter.to)
    .where((eb) => eb.or([eb('s.output', 'like', '%"capture"%'), eb('s.output', 'like', '%"captured":true%')]))
    .execute();
  for (const step of steps) {
    if (step.output === null || step.finished_at === null) continue;
    const record = JSON.parse(step.output) as StepRecord;
    const documents = record.documents ?? {};
    const output = record.output ?? {};
    const reference = str(documents['capture']) ?? (output['captured'] === true ? str(documents['payment']) : undefined);
    if (!reference) continue;
    const amount = typeof output['amount'] === 'number' ? output['amount'] : null;
    keep({ provider: step.system, reference, orderId: step.order_id, at: Number(step.finished_at), amount, currency: null });
  }
  return [...found.values()].sort((a, b) => a.at - b.at || (a.reference < b.reference ? -1 : 1));
}

/**
 * Which of `references` appear in a stored settlement line of a connection's payouts: as the line's
 * own reference, one of its related ids (a charge's PaymentIntent), or the capture it matched.
 */
export async function settledReferences(db: Db, connectionId: string, references: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(references)].filter((r) => r.length > 0);
  const settled = new Set<string>();
  for (let start = 0; start < unique.length; start += 100) {
    const chunk = unique.slice(start, start + 100);
    const lines = await db
      .selectFrom('settlement_lines as l')
      .innerJoin('payouts as p', 'p.id', 'l.payout_id')
      .select(['l.reference', 'l.related'])
      .where('p.connection_id', '=', connectionId)
      .where((eb) => eb.or([eb('l.reference', 'in', chunk), ...chunk.map((reference) => eb('l.related', 'like', `%"${reference}"%`))]))
      .execute();
    const wanted = new Set(chunk);
    for (const line of lines) {
      for (const id of [line.reference, ...(JSON.parse(line.related) as string[])]) if (wanted.has(id)) settled.add(id);
    }
    const matches = await db.selectFrom('settlement_matches').select('target_reference').where('connection_id', '=', connectionId).where('target_reference', 'in', chunk).execute();
    for (const match of matches) if (match.target_reference !== null) settled.add(match.target_reference);
  }
  return settled;
}
