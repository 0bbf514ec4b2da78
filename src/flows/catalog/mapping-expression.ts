import jsonata from 'jsonata';
import { permanentError } from '../../model/index.js';

/** A channel mapping compiled once from its JSONata text. */
export interface CompiledMapping {
  readonly expression: string;
  /** Evaluates the mapping over one product; a failure is a permanent `catalog_mapping_failed` error. */
  evaluate(input: unknown, what: string): Promise<unknown>;
}

/** Guards against a mapping that never ends or recurses without bound (configuration is trusted, not infallible). */
const guardrails = { timeout: 1000, stack: 200 };

interface JsonataFailure {
  code?: string;
  position?: number;
  token?: string;
  message?: string;
}

/** A JSONata error as one line: its code, where it happened and what it says. */
function describeJsonataError(error: unknown): string {
  const failure = (error ?? {}) as JsonataFailure;
  const where = typeof failure.position === 'number' ? ` at character ${failure.position}` : '';
  const token = failure.token !== undefined ? ` (near "${failure.token}")` : '';
  return `${failure.code ?? 'error'}${where}${token}: ${failure.message ?? String(error)}`;
}

/** Why a JSONata text does not compile, or undefined when it does (for configuration checks). */
export function mappingSyntaxError(expression: string): string | undefined {
  try {
    jsonata(expression, guardrails);
    return undefined;
  } catch (error) {
    return describeJsonataError(error);
  }
}

/** Compiles a JSONata mapping (checked at configuration load, so this does not fail on a loaded configuration). */
export function compileMapping(expression: string): CompiledMapping {
  const compiled = jsonata(expression, guardrails);
  return {
    expression,
    async evaluate(input, what) {
      try {
        return await compiled.evaluate(input);
      } catch (error) {
        throw permanentError('catalog_mapping_failed', `${what}: the mapping failed: ${describeJsonataError(error)}`);
      }
    },
  };
}
