import { findOrderPaymentSteps, findOrdersByReferences, findPaymentEvents, findPaymentSteps, findSettlementOrders, type Db, type PaymentStepRow, type SettlementOrderRow } from '../../store/index.js';
import type { CaptureFact, LineToMatch, OrderFact, RefundFact, SettlementFacts } from './match.js';

interface StepRecord {
  documents?: Record<string, unknown>;
  output?: Record<string, unknown>;
  skipped?: boolean;
}

interface PaymentEventData {
  kind: string;
  transaction?: { id: string; reference: string; parentReference?: string; kind: string; status: string; amount: { amount: number; currency: string } };
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : null);
const orderFact = (row: SettlementOrderRow): OrderFact => ({ id: row.id, externalId: row.external_id, number: row.number, total: Number(row.total), currency: row.currency });

/**
 * Reads what the hub knows about a payout's lines: the provider's payment events (which link a
 * charge to its PaymentIntent, a refund to its charge), the orders' workflow steps that captured or
 * refunded (their documents name the provider's ids), and the orders themselves. Answers the lines
 * with their ids widened by those links, and the facts to match them against.
 */
export async function gatherSettlementFacts(db: Db, lines: readonly LineToMatch[]): Promise<{ lines: LineToMatch[]; facts: SettlementFacts }> {
  const related = new Map(lines.map((line) => [line.id, new Set([line.reference, ...line.related])]));
  const captures: CaptureFact[] = [];
  const linkedOrders = new Set<string>();
  const seenEvents = new Set<string>();
  // Two rounds: a refund names its charge, the charge names its PaymentIntent.
  for (let round = 0; round < 2; round++) {
    const refs = [...related.values()].flatMap((set) => [...set]);
    const events = await findPaymentEvents(db, refs);
    for (const row of events) {
      if (seenEvents.has(row.id)) continue;
      seenEvents.add(row.id);
      const data = JSON.parse(row.data) as PaymentEventData;
      const txn = data.transaction;
      if (!txn) continue;
      const ids = [txn.reference, txn.id, ...(txn.parentReference ? [txn.parentReference] : [])];
      for (const set of related.values()) if (set.has(row.subject)) for (const id of ids) set.add(id);
      if (txn.kind === 'capture' && txn.status === 'succeeded' && row.order_id) {
        captures.push({ orderId: row.order_id, references: ids, amount: txn.amount.amount, currency: txn.amount.currency });
        linkedOrders.add(row.order_id);
      }
    }
  }
  const widened = lines.map((line) => ({ ...line, related: [...related.get(line.id)!].filter((r) => r !== line.reference) }));
  const refs = widened.flatMap((line) => [line.reference, ...line.related]);
  const refunds: RefundFact[] = [];
  const orderReferences = widened.map((line) => line.orderReference).filter((r): r is string => r !== undefined);
  const referenced = await findOrdersByReferences(db, orderReferences);
  const steps = new Map<string, PaymentStepRow>();
  for (const step of [...(await findPaymentSteps(db, refs)), ...(await findOrderPaymentSteps(db, referenced.map((o) => o.id)))]) steps.set(`${step.run_id}:${step.phase}:${step.step}`, step);
  for (const step of steps.values()) {
    const record = JSON.parse(step.output) as StepRecord;
    const documents = record.documents ?? {};
    const output = record.output ?? {};
    const capture = str(documents['capture']);
    const payment = str(documents['payment']);
    const refund = str(documents['refund']);
    if (refund) {
      refunds.push({ orderId: step.order_id, references: [refund], amount: num(output['amount']) ?? num(output['refunded']), currency: str(output['currency']) ?? null });
      linkedOrders.add(step.order_id);
    } else if (capture || (payment && output['captured'] === true)) {
      captures.unshift({ orderId: step.order_id, references: [capture ?? payment!, ...(payment && payment !== capture ? [payment] : [])], amount: num(output['amount']), currency: null });
      linkedOrders.add(step.order_id);
    }
  }
  const byId = new Map<string, OrderFact>();
  for (const row of [...referenced, ...(await findSettlementOrders(db, [...linkedOrders]))]) byId.set(row.id, orderFact(row));
  return { lines: widened, facts: { orders: [...byId.values()], captures, refunds } };
}
