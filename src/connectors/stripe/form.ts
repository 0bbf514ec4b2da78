/** A value Stripe's form encoding can carry: scalars, lists and nested hashes. */
export type StripeFormValue = string | number | boolean | null | undefined | readonly StripeFormValue[] | { readonly [key: string]: StripeFormValue };

/** Parameters of a Stripe request, before encoding. */
export type StripeFormParams = { readonly [key: string]: StripeFormValue };

/** A decoded form value: strings, lists and hashes (Stripe coerces the strings per parameter). */
export type StripeFormNode = string | StripeFormNode[] | StripeFormObject;

/** A decoded form body or query string. */
export interface StripeFormObject {
  [key: string]: StripeFormNode;
}

/** A form body that cannot be decoded (conflicting or unsafe keys). */
export class StripeFormError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
    this.name = 'StripeFormError';
  }
}

const encode = (text: string) =>
  encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%5B/g, '[')
    .replace(/%5D/g, ']');

function scalar(key: string, value: string | number | boolean | null): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new TypeError(`${key}: Stripe amounts and counts are integers; pass decimals as strings (got ${value})`);
  }
  return value === null ? '' : String(value);
}

/**
 * Encodes parameters as Stripe's `application/x-www-form-urlencoded` with bracket notation:
 * `metadata[order_id]=1001`, `expand[]=data.source`, `items[0][price]=p_1` (lists of hashes are
 * indexed). `undefined` is left out, `null` is sent empty (Stripe's way to unset a field), booleans
 * as true/false; numbers must be integers.
 */
export function encodeStripeForm(params: StripeFormParams): string {
  const pairs: string[] = [];
  const walk = (key: string, value: StripeFormValue): void => {
    if (value === undefined) return;
    if (value === null || typeof value !== 'object') {
      pairs.push(`${encode(key)}=${encode(scalar(key, value))}`);
      return;
    }
    if (Array.isArray(value)) {
      const list = value as readonly StripeFormValue[];
      const nested = list.some((item) => item !== null && typeof item === 'object');
      list.forEach((item, index) => walk(nested ? `${key}[${index}]` : `${key}[]`, item));
      return;
    }
    for (const [name, item] of Object.entries(value)) walk(`${key}[${name}]`, item);
  };
  for (const [key, value] of Object.entries(params)) walk(key, value);
  return pairs.join('&');
}

const unsafe = new Set(['__proto__', 'constructor', 'prototype']);

function pathOf(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) throw new StripeFormError(`Invalid parameter name: ${key}`, key);
  const rest = [...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '');
  const path = [match[1] as string, ...rest];
  if (path.some((segment) => unsafe.has(segment))) throw new StripeFormError(`Invalid parameter name: ${key}`, key);
  return path;
}

const isList = (segment: string) => segment === '' || /^\d{1,4}$/.test(segment);

/**
 * Decodes bracket-notation pairs (a form body or query string) into nested hashes and lists,
 * as Stripe reads them: `a[b]=1` → `{a: {b: '1'}}`, `a[]=x&a[]=y` and `a[0]=x&a[1]=y` → lists.
 * A key used both as a value and as a hash/list is an error naming the parameter.
 */
export function decodeStripeForm(pairs: Iterable<[string, string]>): StripeFormObject {
  const root: StripeFormObject = {};
  for (const [key, value] of pairs) {
    const path = pathOf(key);
    let container: StripeFormObject | StripeFormNode[] = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i] as string;
      const last = i === path.length - 1;
      const next = path[i + 1];
      if (Array.isArray(container)) {
        if (segment === '' && !last) throw new StripeFormError(`Invalid array: ${key} (index lists of hashes: ${path[0]}[0][…])`, path[0] as string);
        if (!isList(segment)) throw new StripeFormError(`Invalid array: ${key}`, path[0] as string);
      }
      const list: StripeFormNode[] | undefined = Array.isArray(container) ? container : undefined;
      const index: number = list ? (segment === '' ? list.length : Number(segment)) : -1;
      const existing: StripeFormNode | undefined = list ? list[index] : (container as StripeFormObject)[segment];
      if (last) {
        if (existing !== undefined && typeof existing !== 'string') throw new StripeFormError(`Invalid value for ${key}: it is also a hash or list`, path[0] as string);
        if (list) list[index] = value;
        else (container as StripeFormObject)[segment] = value;
        break;
      }
      let child: StripeFormNode | undefined = existing;
      if (child === undefined) {
        child = next !== undefined && isList(next) ? [] : {};
        if (list) list[index] = child;
        else (container as StripeFormObject)[segment] = child;
      }
      if (typeof child === 'string') throw new StripeFormError(`Invalid hash for ${key}: ${path.slice(0, i + 1).join('.')} is also a plain value`, path[0] as string);
      container = child;
    }
  }
  return compact(root) as StripeFormObject;
}

function compact(node: StripeFormNode): StripeFormNode {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.filter((item) => item !== undefined).map(compact);
  const out: StripeFormObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = compact(value);
  return out;
}

/** Decodes an `application/x-www-form-urlencoded` text (a body or the part of a URL after `?`). */
export function decodeStripeFormText(text: string): StripeFormObject {
  return decodeStripeForm(new URLSearchParams(text).entries());
}
