import { TillbridgeError } from './errors.js';

function invalid(message: string): TillbridgeError {
  return new TillbridgeError('invalid_allocation', message, { httpStatus: 422 });
}

/**
 * Splits `total` minor units in proportion to `weights` by largest remainder: the parts always sum
 * to `total`, each is within 1 of its exact share, and ties go to the lower index. All-zero weights
 * split evenly; a negative total is split as the mirror image of its absolute value.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total)) throw invalid(`total must be a safe integer, got ${total}`);
  if (weights.length === 0) {
    if (total === 0) return [];
    throw invalid(`cannot allocate ${total} across no weights`);
  }
  for (const [index, weight] of weights.entries()) {
    if (!Number.isSafeInteger(weight) || weight < 0) {
      throw invalid(`weight ${index} must be a non-negative safe integer, got ${weight}`);
    }
  }
  let big = weights.map((w) => BigInt(w));
  let weightSum = big.reduce((a, b) => a + b, 0n);
  if (weightSum === 0n) {
    big = big.map(() => 1n);
    weightSum = BigInt(big.length);
  }
  const negative = total < 0;
  const amount = BigInt(negative ? -total : total);
  const parts: bigint[] = [];
  const remainders: bigint[] = [];
  let allocated = 0n;
  for (const weight of big) {
    const product = amount * weight;
    const part = product / weightSum;
    parts.push(part);
    remainders.push(product % weightSum);
    allocated += part;
  }
  const order = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  let leftover = Number(amount - allocated);
  for (let i = 0; leftover > 0; i += 1, leftover -= 1) {
    const slot = order[i]!.index;
    parts[slot] = parts[slot]! + 1n;
  }
  return parts.map((part) => {
    const value = Number(part);
    return negative && value !== 0 ? -value : value;
  });
}
