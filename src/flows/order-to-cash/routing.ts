import type { Order } from '../../model/index.js';
import type { HoldRule, OrderMatch, OrderToCashConfig, RoutingRule } from './config.js';

/** Lines of one order that one warehouse ships. */
export interface Allocation {
  /** Warehouse connection, or null when no warehouse is configured for these lines. */
  warehouse: string | null;
  erpWarehouse?: string | undefined;
  lines: { lineId: string; sku: string; quantity: number }[];
}

/** Where an order goes: the ERP that books it, the warehouses that ship it, and a hold, if any. */
export interface RoutingPlan {
  erp: string | null;
  company?: string | undefined;
  allocations: Allocation[];
  hold: string | null;
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** True when the order (and, for SKU patterns, the given SKU) matches every condition given. */
export function matches(when: OrderMatch, order: Order, sku?: string): boolean {
  if (when.channels && !when.channels.includes(order.source)) return false;
  if (when.countries && !when.countries.includes(order.shippingAddress?.country ?? '')) return false;
  if (when.currencies && !when.currencies.includes(order.currency)) return false;
  if (when.totalAbove !== undefined && !(order.totals.total > when.totalAbove)) return false;
  if (when.tags && !when.tags.some((tag) => order.tags?.includes(tag))) return false;
  if (when.attributes && !Object.entries(when.attributes).every(([name, value]) => order.attributes?.[name] === value)) return false;
  if (when.skus) {
    if (sku === undefined) return false;
    if (!when.skus.some((pattern) => globToRegExp(pattern).test(sku))) return false;
  }
  return true;
}

function orderLevel(rules: readonly RoutingRule[], order: Order): RoutingRule | undefined {
  return rules.find((rule) => !rule.when.skus && rule.erp !== undefined && matches(rule.when, order));
}

function lineLevel(rules: readonly RoutingRule[], order: Order, sku: string): RoutingRule | undefined {
  return rules.find((rule) => rule.warehouse !== undefined && matches(rule.when, order, sku));
}

/** The first hold rule an order matches, or null. */
export function holdFor(holds: readonly HoldRule[], order: Order): string | null {
  return holds.find((rule) => matches(rule.when, order))?.reason ?? null;
}

/**
 * Routes an order (pure): the ERP and company from the first order-level rule that names an ERP,
 * each line to the warehouse of the first rule it matches (SKU rules apply per line), lines of one
 * warehouse kept together — so one order may be split across locations.
 */
export function routeOrder(order: Order, config: OrderToCashConfig): RoutingPlan {
  const erpRule = orderLevel(config.routing, order);
  const groups = new Map<string, Allocation>();
  for (const line of order.lines) {
    const rule = lineLevel(config.routing, order, line.sku);
    const warehouse = rule?.warehouse ?? config.warehouse ?? null;
    const erpWarehouse = rule?.erpWarehouse;
    const key = `${warehouse}\u0000${erpWarehouse ?? ''}`;
    const group = groups.get(key) ?? { warehouse, ...(erpWarehouse ? { erpWarehouse } : {}), lines: [] };
    group.lines.push({ lineId: line.lineId, sku: line.sku, quantity: line.quantity });
    groups.set(key, group);
  }
  return {
    erp: erpRule?.erp ?? config.erp ?? null,
    ...(erpRule?.company ? { company: erpRule.company } : {}),
    allocations: [...groups.values()],
    hold: holdFor(config.holds, order),
  };
}
