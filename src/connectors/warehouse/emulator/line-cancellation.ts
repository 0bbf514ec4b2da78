/** An order line as a line cancellation sees it. */
export interface CancellableLine {
  lineId: string;
  sku: string;
  quantity: number;
  shipped: number;
  cancelled: number;
}

/** What a line cancellation would do, or why it cannot be done (nothing is applied in that case). */
export type LineCancellationPlan =
  | { kind: 'ok'; lines: { lineId: string; sku: string; quantity: number }[] }
  | { kind: 'invalid'; errors: { pointer: string; detail: string }[] }
  | { kind: 'not_open'; code: 'already_shipped' | 'already_cancelled'; detail: string };

const openOf = (line: CancellableLine) => line.quantity - line.shipped - line.cancelled;

/**
 * Checks a request to take units off the open quantity of an order's lines (pure): unknown lines
 * and quantities above the ordered quantity are invalid; a quantity above what is still open is
 * `already_shipped` when the line has shipped units, else `already_cancelled`.
 */
export function planLineCancellation(lines: readonly CancellableLine[], requested: readonly { lineId: string; quantity: number }[]): LineCancellationPlan {
  const errors: { pointer: string; detail: string }[] = [];
  const notOpen: { line: CancellableLine; quantity: number }[] = [];
  const planned: { lineId: string; sku: string; quantity: number }[] = [];
  for (const [index, request] of requested.entries()) {
    const line = lines.find((l) => l.lineId === request.lineId);
    if (!line) {
      errors.push({ pointer: `/lines/${index}/lineId`, detail: `the shipment order has no line ${request.lineId}` });
    } else if (request.quantity > line.quantity) {
      errors.push({ pointer: `/lines/${index}/quantity`, detail: `quantity ${request.quantity} exceeds the ${line.quantity} units ordered on line ${line.lineId}` });
    } else if (request.quantity > openOf(line)) {
      notOpen.push({ line, quantity: request.quantity });
    } else {
      planned.push({ lineId: line.lineId, sku: line.sku, quantity: request.quantity });
    }
  }
  if (errors.length > 0) return { kind: 'invalid', errors };
  if (notOpen.length > 0) {
    const detail = notOpen
      .map(({ line, quantity }) => `line ${line.lineId} has ${openOf(line)} open unit${openOf(line) === 1 ? '' : 's'} (${line.quantity} ordered, ${line.shipped} shipped, ${line.cancelled} cancelled), so ${quantity} cannot be cancelled`)
      .join('; ');
    return { kind: 'not_open', code: notOpen.some(({ line }) => line.shipped > 0) ? 'already_shipped' : 'already_cancelled', detail };
  }
  return { kind: 'ok', lines: planned };
}
