import { permanentError } from '../../model/index.js';
import type { HttpClient } from '../framework/index.js';
import { mayHaveLanded, problemOf, warehouseSays, type ResponseParser } from './client-support.js';
import { pageOf, WarehouseReturn, type NewReturn, type ReturnStatus } from './wire.js';

/** What a return create answered: the return, and whether this call created it (false: it existed, or its first answer was lost). */
export interface CreateReturnResult {
  id: string;
  reference: string;
  status: ReturnStatus;
  created: boolean;
  return: WarehouseReturn;
}

/** The warehouse's return (RMA) operations. */
export interface ReturnOperations {
  /**
   * Authorises a return exactly once per `reference` (the hub's return id): sends
   * `Idempotency-Key: <reference>`, and after a timeout or 5xx looks the reference up before sending
   * it again. A known reference with other content is `warehouse_return_conflict`.
   */
  createReturn(input: NewReturn, signal?: AbortSignal): Promise<CreateReturnResult>;
  /** One return; `warehouse_not_found` when the warehouse does not know it. */
  getReturn(id: string, signal?: AbortSignal): Promise<WarehouseReturn>;
  /** The return with this reference (the hub's return id), or null. */
  findReturnByReference(reference: string, signal?: AbortSignal): Promise<WarehouseReturn | null>;
}

/** What the return operations need from the client. */
export interface ReturnOperationsDeps {
  http: HttpClient;
  connectionId: string;
  /** Attempts of one create, with a lookup between them. */
  maxAttempts: number;
  parse: ResponseParser;
}

const ReturnPage = pageOf(WarehouseReturn);

const resultOf = (value: WarehouseReturn, created: boolean): CreateReturnResult => ({ id: value.id, reference: value.reference, status: value.status, created, return: value });

/** The return operations over the connection's outbound client. */
export function createReturnOperations({ http, connectionId, maxAttempts, parse }: ReturnOperationsDeps): ReturnOperations {
  const findReturnByReference = async (reference: string, signal?: AbortSignal) => {
    const response = await http.request({ method: 'GET', path: '/v1/returns', query: { reference, limit: 1 }, ...(signal ? { signal } : {}) });
    return parse(ReturnPage, response.body, 'GET returns by reference').data.find((r) => r.reference === reference) ?? null;
  };

  const createOnce = async (input: NewReturn, signal?: AbortSignal): Promise<CreateReturnResult> => {
    try {
      const response = await http.request({ method: 'POST', path: '/v1/returns', body: input, idempotencyKey: input.reference, retry: false, ...(signal ? { signal } : {}) });
      const created = response.status === 201 && response.headers.get('idempotent-replayed') !== 'true';
      return resultOf(parse(WarehouseReturn, response.body, 'POST return'), created);
    } catch (error) {
      const problem = problemOf(error);
      if (problem?.status === 409 || problem?.code === 'idempotency_key_reused') {
        // A reused key (the reference) does not name the existing return: look it up, best effort.
        const existingId = problem.existingId ?? (await findReturnByReference(input.reference, signal).catch(() => null))?.id;
        throw permanentError(
          'warehouse_return_conflict',
          `${connectionId}: return ${input.reference} already exists at the warehouse with other content${existingId ? ` (${existingId})` : ''}: ${warehouseSays(problem)}`,
          409,
          { existingId },
        );
      }
      throw error;
    }
  };

  return {
    async createReturn(input, signal) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await createOnce(input, signal);
        } catch (error) {
          if (!mayHaveLanded(error)) throw error;
          // The warehouse may have stored it before the answer was lost: look before sending again.
          const existing = await findReturnByReference(input.reference, signal).catch(() => null);
          if (existing) return resultOf(existing, false);
          if (attempt >= maxAttempts) throw error;
        }
      }
    },

    async getReturn(id, signal) {
      try {
        const response = await http.request({ method: 'GET', path: `/v1/returns/${encodeURIComponent(id)}`, ...(signal ? { signal } : {}) });
        return parse(WarehouseReturn, response.body, `GET return ${id}`);
      } catch (error) {
        if (problemOf(error)?.status === 404) throw permanentError('warehouse_not_found', `${connectionId}: return ${id} does not exist`, 404);
        throw error;
      }
    },

    findReturnByReference,
  };
}
