import type { StripeFormNode, StripeFormObject } from '../form.js';
import { malformedRequest, parameterError } from './errors.js';

/** Refuses parameters an endpoint does not take, as Stripe does (`Received unknown parameter: …`). */
export function onlyKnown(params: StripeFormObject, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name)) throw parameterError('parameter_unknown', `Received unknown parameter: ${name}`, name);
  }
}

function text(params: StripeFormObject, name: string): string | undefined {
  const value: StripeFormNode | undefined = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw parameterError('parameter_invalid_string', `Invalid string: ${name} must be a string`, name);
  return value;
}

/** A string parameter; an empty value counts as absent unless `required`, where it is an error. */
export function stringParam(params: StripeFormObject, name: string, required: true): string;
export function stringParam(params: StripeFormObject, name: string, required?: boolean): string | undefined;
export function stringParam(params: StripeFormObject, name: string, required = false): string | undefined {
  const value = text(params, name);
  if (value === undefined || value === '') {
    if (required) {
      throw value === '' ? parameterError('parameter_invalid_empty', `You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; however '${name}' cannot be unset. You should remove '${name}' from your request or supply a non-empty value.`, name) : parameterError('parameter_missing', `Missing required param: ${name}.`, name);
    }
    return undefined;
  }
  return value;
}

/** A non-negative integer parameter (`Invalid integer: …`). */
export function integerParam(params: StripeFormObject, name: string, required: true): number;
export function integerParam(params: StripeFormObject, name: string, required?: boolean): number | undefined;
export function integerParam(params: StripeFormObject, name: string, required = false): number | undefined {
  const value = stringParam(params, name, required);
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw parameterError('parameter_invalid_integer', `Invalid integer: ${value}`, name);
  return Number(value);
}

/** A boolean parameter (`true`/`false`). */
export function booleanParam(params: StripeFormObject, name: string): boolean | undefined {
  const value = stringParam(params, name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw malformedRequest(`Invalid boolean: ${value}`, name);
  return value === 'true';
}

/** One of a parameter's allowed values. */
export function enumParam<T extends string>(params: StripeFormObject, name: string, values: readonly T[]): T | undefined {
  const value = stringParam(params, name);
  if (value === undefined) return undefined;
  if (!values.includes(value as T)) throw malformedRequest(`Invalid ${name}: must be one of ${values.join(', ')}`, name);
  return value as T;
}

/** A metadata hash with Stripe's limits: 50 keys, keys up to 40 characters, values up to 500. */
export function metadataParam(params: StripeFormObject, name = 'metadata'): Record<string, string> | undefined {
  const value = params[name];
  if (value === undefined || value === '') return value === '' ? {} : undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw malformedRequest(`Invalid hash: ${name} must be a hash of strings`, name);
  const metadata: Record<string, string> = {};
  const entries = Object.entries(value);
  if (entries.length > 50) throw malformedRequest(`Invalid ${name}: too many keys (the limit is 50)`, name);
  for (const [key, item] of entries) {
    if (typeof item !== 'string') throw malformedRequest(`Invalid ${name}[${key}]: must be a string`, `${name}[${key}]`);
    if (key.length > 40) throw malformedRequest(`Invalid ${name}: keys must be at most 40 characters long`, `${name}[${key}]`);
    if (item.length > 500) throw malformedRequest(`Invalid ${name}: values must be at most 500 characters long`, `${name}[${key}]`);
    if (item !== '') metadata[key] = item;
  }
  return metadata;
}

/** A list of strings (`expand[]=a&expand[]=b`). */
export function listParam(params: StripeFormObject, name: string): string[] {
  const value = params[name];
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw malformedRequest(`Invalid array: ${name} must be a list of strings`, name);
  return value as string[];
}
