import { z } from 'zod';
import { defineMessageType, type HandlerTransaction, type MessageType, type RetryPolicy } from '../../messaging/index.js';
import type { Db } from '../../store/index.js';

/** Documents a step created or touched in another system, by kind: `{ salesOrder: "SAL-ORD-2026-00001" }`. */
export type Documents = Record<string, string | string[]>;

/** What a step hands on: its documents and any values later steps read. */
export interface StepResult {
  documents?: Documents;
  output?: Record<string, unknown>;
  /** True when the step had nothing to do (e.g. no payment to capture); shown as skipped. */
  skipped?: boolean;
  /** The system the step actually talked to, when it depends on the order (e.g. the routed warehouse). */
  system?: string;
}

/** What a step's local writes return to keep the run waiting at the step. */
export interface StepWait {
  wait: string;
}

/** A finished step's result as later steps see it. */
export type StepRecord = Required<Pick<StepResult, 'documents' | 'output'>> & { skipped: boolean };

/** One run as a step sees it. */
export interface RunView<I> {
  id: string;
  workflow: string;
  key: string;
  orderId: string | null;
  correlationId: string;
  input: I;
  /** Finished steps' results by step name. */
  steps: Record<string, StepRecord>;
}

/** What a step is given on each attempt. */
export interface StepContext<I> {
  run: RunView<I>;
  attempt: number;
  /** Aborted at the step's timeout, when the lease is lost, or at shutdown. */
  signal: AbortSignal;
  now: number;
}

/** One named step: its call to another system, its local writes, and how to undo it. */
export interface WorkflowStep<I> {
  name: string;
  /** The system the step talks to (erpnext, warehouse, stripe, shopify, tillbridge). */
  system: string;
  retry?: Partial<RetryPolicy>;
  /** Per-attempt time limit; a step that runs longer fails with a transient step_timeout. */
  timeoutMs?: number;
  /** How long the step may take, retries included, before its order counts as stuck. */
  slaMs?: number;
  /** Does the step's outside work; must be idempotent (it may run again after a crash). */
  invoke(ctx: StepContext<I>): Promise<StepResult>;
  /**
   * Local writes committed with the step's completion (status, reservations). Returning `{ wait }`
   * instead keeps the run at this step, waiting with that reason (e.g. the order went on hold for
   * stock): nothing is recorded as done, and resuming the run runs the step again.
   */
  apply?(tx: HandlerTransaction, ctx: StepContext<I>, result: StepResult): Promise<void | StepWait>;
  /** Undoes the step's effect when the run is compensated (cancellation); idempotent. */
  compensate?(ctx: StepContext<I> & { done: StepRecord }): Promise<StepResult>;
  /** Local writes committed with the compensation. */
  applyCompensation?(tx: HandlerTransaction, ctx: StepContext<I>, result: StepResult): Promise<void>;
}

/** A workflow: a list of named steps run in order, each durably recorded. */
export interface WorkflowDefinition<I> {
  name: string;
  input: z.ZodType<I>;
  steps: WorkflowStep<I>[];
  /** Asked before each forward step: a reason to wait (the order is on hold) or null to go on. */
  gate?(db: Db, run: RunView<I>): Promise<string | null>;
  /** Local writes when the last step has finished. */
  onCompleted?(tx: HandlerTransaction, run: RunView<I>): Promise<void>;
  /** Local writes when every finished step has been compensated. */
  onCompensated?(tx: HandlerTransaction, run: RunView<I>, reason: string): Promise<void>;
}

/** The message that runs one step of one run. */
export const StepMessage = z.object({ runId: z.string().min(1) });

/** A workflow with the message types that drive it. */
export interface Workflow<I> extends WorkflowDefinition<I> {
  stepMessages: Map<string, MessageType<typeof StepMessage>>;
  compensateMessage: MessageType<typeof StepMessage>;
}

/** Defines a workflow; each step gets a message type of its own (`workflow.<name>.<step>`) with the step's retry policy. */
export function defineWorkflow<I>(definition: WorkflowDefinition<I>): Workflow<I> {
  const names = new Set<string>();
  for (const step of definition.steps) {
    if (names.has(step.name)) throw new Error(`workflow ${definition.name} has two steps named ${step.name}`);
    names.add(step.name);
  }
  const stepMessages = new Map(
    definition.steps.map((step) => [
      step.name,
      defineMessageType({ type: `workflow.${definition.name}.${step.name}`, lane: 'critical', schemaVersion: 1, data: StepMessage, ...(step.retry ? { retry: step.retry } : {}) }),
    ]),
  );
  const compensateMessage = defineMessageType({ type: `workflow.${definition.name}.compensate`, lane: 'critical', schemaVersion: 1, data: StepMessage, retry: { maxAttempts: 20 } });
  return { ...definition, stepMessages, compensateMessage };
}
