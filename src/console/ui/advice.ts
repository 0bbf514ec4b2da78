/** What a person can do about a failed message, in plain words, from its reason. */
export function adviceFor(reason: string | null | undefined): string {
  const text = reason ?? '';
  const item = /Could not find Row #\d+: Item Code: (\S+)/.exec(text);
  if (item) return `The ERP has no item ${item[1]}. Create it in the ERP (or let the catalog publish it there), then replay.`;
  if (/Could not find Customer/.test(text)) return 'The ERP does not know this customer. Create or merge the customer in the ERP, then replay.';
  if (/order_not_received/.test(text)) return 'This event is for an order the hub has not received (a missed webhook). Run a reconciliation to import the order, then replay.';
  if (/no_handler|invalid_message|mapping|validation/i.test(text)) return 'The message does not fit what the flow expects. Correct its payload in the editor (the change is audited), then replay.';
  if (/circuit|timeout|timed out|ECONNREFUSED|unavailable|→ 5\d\d|rate.?limit|429/i.test(text)) return 'The other system was unreachable or busy. Check Connections; once it is healthy again, replay.';
  return 'Read the reason and the last error: fix the cause in the system named there, or correct the payload here, then replay.';
}
