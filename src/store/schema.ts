import type { Generated } from 'kysely';

/** Times are epoch milliseconds; money is integer minor units; JSON is stored as text. */
export interface OrdersTable {
  id: string;
  source: string;
  external_id: string;
  number: string | null;
  status: string;
  hold_reason: string | null;
  currency: string;
  total: number;
  placed_at: string;
  body_hash: string;
  data: string;
  correlation_id: string;
  created_at: number;
  updated_at: number;
}

export interface OrderTimelineTable {
  seq: Generated<number>;
  order_id: string;
  at: number;
  event: string;
  system: string;
  detail: string | null;
  correlation_id: string;
  message_id: string | null;
}

export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: string;
  created_at: number;
}

export interface RejectedPayloadsTable {
  id: string;
  kind: string;
  source: string | null;
  received_at: number;
  reason: string;
  raw: string;
}

export interface MessagesTable {
  seq: Generated<number>;
  id: string;
  type: string;
  source: string;
  subject: string | null;
  time: number;
  schema_version: number;
  data: string;
  correlation_id: string;
  causation_id: string | null;
  traceparent: string | null;
  lane: string;
  ordering_key: string | null;
  status: string;
  attempts: number;
  available_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  dead_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface MessageAttemptsTable {
  seq: Generated<number>;
  message_id: string;
  attempt: number;
  at: number;
  outcome: string;
  error_code: string | null;
  error_message: string | null;
  worker: string | null;
}

export interface MessageReplaysTable {
  seq: Generated<number>;
  message_id: string;
  at: number;
  actor: string;
  note: string | null;
}

/** An audited edit of a dead letter's payload: who, when, why, and the payload before and after (JSON). */
export interface MessageEditsTable {
  seq: Generated<number>;
  message_id: string;
  at: number;
  actor: string;
  note: string | null;
  before: string;
  after: string;
}

/** Per-connection bookkeeping: poll cursors, the latest version seen of a channel's record. */
export interface ConnectorStateTable {
  connection_id: string;
  key: string;
  value: string;
  updated_at: number;
}

/** A canonical event a connector received (payment, payout, refund, shipment, stock, product…), kept for flows and diagnosis. */
export interface ChannelEventsTable {
  id: string;
  connection_id: string;
  kind: string;
  subject: string;
  order_id: string | null;
  occurred_at: number;
  received_at: number;
  inbox_id: string;
  data: string;
}

export interface InboxTable {
  id: string;
  source: string;
  dedup_key: string;
  received_at: number;
  payload: string;
  headers: string | null;
  status: string;
  message_id: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: string;
  rate_limit: string | null;
  created_at: number;
  created_by: string;
  revoked_at: number | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: number;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  before: string | null;
  after: string | null;
  request_id: string | null;
}

export interface OAuthClientsTable {
  id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  rate_limit: string | null;
  created_at: number;
  created_by: string;
  deleted_at: number | null;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: number;
  retired_at: number | null;
}

/** A webhook subscription; `secret` is kept as is because deliveries are signed with it. */
export interface SubscriptionsTable {
  id: string;
  url: string;
  events: string;
  description: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: number | null;
  status: string;
  status_reason: string | null;
  created_at: number;
  created_by: string;
  updated_at: number;
}

/** One attempt to deliver an event to a subscription. */
export interface SubscriptionDeliveriesTable {
  seq: Generated<number>;
  subscription_id: string;
  message_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  at: number;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}

/** A shared token bucket per principal (and per route with its own limit). */
export interface RateBucketsTable {
  bucket: string;
  tokens: number;
  granted: number;
  updated_at: number;
}

/** One run of a workflow (e.g. an order's placement, one shipment, a cancellation). */
export interface WorkflowRunsTable {
  id: string;
  workflow: string;
  /** Unique business key: a second start with the same key is the same run. */
  key: string;
  order_id: string | null;
  /** running, waiting, completed, compensating, compensated. */
  status: string;
  /** The step running, waiting or last finished. */
  step: string | null;
  input: string;
  /** JSON object: each finished step's output by step name. */
  outputs: string;
  correlation_id: string;
  error: string | null;
  started_at: number;
  step_started_at: number;
  /** When the current step breaches its SLA (null when it has none or the run is not running). */
  step_deadline: number | null;
  updated_at: number;
}

/** One step of a run, forward or compensation. */
export interface WorkflowStepsTable {
  run_id: string;
  phase: string;
  step: string;
  position: number;
  /** running (failed attempts so far), done, failed (dead-lettered), skipped. */
  status: string;
  system: string;
  attempts: number;
  started_at: number;
  finished_at: number | null;
  output: string | null;
  error: string | null;
  message_id: string | null;
}

/** Units of an order line held at a location until shipped or cancelled. */
export interface StockReservationsTable {
  order_id: string;
  line_id: string;
  sku: string;
  location_id: string;
  quantity: number;
  updated_at: number;
}

/** Per order line: units ordered, shipped, cancelled and returned so far. */
export interface OrderLineQuantitiesTable {
  order_id: string;
  line_id: string;
  sku: string;
  ordered: number;
  shipped: number;
  cancelled: number;
  returned: number;
  updated_at: number;
}

/** Stock on hand of a SKU at a location, as the newest accepted report left it. */
export interface InventoryLevelsTable {
  sku: string;
  location_id: string;
  on_hand: number;
  source: string;
  source_version: string | null;
  occurred_at: number;
  updated_at: number;
}

/** The newest report each source gave for a SKU at a location, so older or repeated ones are recognised. */
export interface InventoryMarksTable {
  sku: string;
  location_id: string;
  source: string;
  version: string | null;
  occurred_at: number;
}

/** A stock location the hub knows (from the configuration, a connection or the ERP). */
export interface LocationsTable {
  id: string;
  name: string;
  source: string;
  connection_id: string | null;
  updated_at: number;
}

/** What the hub computed and last published as available for a SKU in a channel. */
export interface InventoryChannelLevelsTable {
  connection_id: string;
  sku: string;
  computed: number | null;
  published_available: number | null;
  published_at: number | null;
  error: string | null;
  updated_at: number;
}

/** SKUs whose availability changed and waits to be pushed (one row per SKU: changes coalesce). */
export interface InventoryPendingTable {
  sku: string;
  version: number;
  since: number;
  /** Set while a pusher works on the SKU (or waits to retry it): others leave it alone until then. */
  claimed_until: number | null;
}

/** The product master of a SKU: the sources' fields merged by rule, its approval status and version. JSON as text. */
export interface ProductsTable {
  sku: string;
  title: string;
  description: string | null;
  /** JSON object of attribute name → string, number or boolean. */
  attributes: string;
  /** JSON array of { url, alt? }. */
  images: string;
  /** JSON array of { currency, amount (minor units), channel?, compareAt? }. */
  prices: string;
  /** draft | approved | archived | deleted. */
  status: string;
  version: number;
  /** Hash of the merged content (not the status), so a source repeating itself changes nothing. */
  content_hash: string;
  approved_at: number | null;
  approved_by: string | null;
  created_at: number;
  updated_at: number;
}

/** What one source (the ERP, a PIM, the API) last gave for a SKU, kept so the merge can be recomputed by rule. */
export interface ProductSourcesTable {
  sku: string;
  source: string;
  /** JSON of the fields this source supplies (title, description, attributes, images, prices, archived). */
  fields: string;
  updated_at: number;
}

/** A SKU's publication in one channel: its status there, the channel's ids and the hash of what it shows. */
export interface ProductPublicationsTable {
  connection_id: string;
  sku: string;
  /** pending | published | failed | unpublished | deleted. */
  status: string;
  external_id: string | null;
  /** JSON of the channel's ids (e.g. Shopify productId, variantId, inventoryItemId, handle). */
  external_ids: string | null;
  inventory_item_id: string | null;
  /** Hash of the mapped listing the channel shows; null while it shows none. */
  published_hash: string | null;
  published_version: number | null;
  published_at: number | null;
  error: string | null;
  updated_at: number;
}

/** A bulk sync job (catalog or inventory backfill) and its progress. */
export interface SyncJobsTable {
  id: string;
  kind: string;
  /** queued | running | succeeded | failed | cancelled */
  status: string;
  /** JSON: the stages the job goes through (source ids, then the final fan-out). */
  plan: string;
  /** JSON array of the connection ids asked for, or null for all. */
  connections: string | null;
  total: number;
  done: number;
  failed: number;
  error: string | null;
  requested_by: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

/** A journal entry the hub computed from business events, and its posting to the ERP. */
export interface JournalEntriesTable {
  id: string;
  /** What the entry is for (e.g. `sale:<order>`): one entry per key, so a repeated event posts nothing twice. */
  key: string;
  /** Posting date (YYYY-MM-DD). */
  date: string;
  /** JSON: [{ account, debit, credit, currency }] in minor units. */
  lines: string;
  /** JSON: ids of the events (messages, webhooks) behind the entry. */
  source_events: string;
  correlation_id: string;
  causation_id: string | null;
  order_id: string | null;
  memo: string | null;
  /** pending | posted | failed | not-posted (no ERP configured) */
  status: string;
  erp_connection: string | null;
  /** JSON: the ERP documents by currency, e.g. { "USD": "ACC-JV-2026-00001" }. */
  erp_documents: string | null;
  /** JSON: how it is posted when not as a Journal Entry, e.g. { "paymentAgainstInvoiceOf": "sale:shop-main:1001" }; null: Journal Entries. */
  erp_as: string | null;
  error: string | null;
  created_at: number;
  posted_at: number | null;
}

/** The whole database as Kysely sees it. */
/** One reconciliation run: what it compared, over which window, and how it ended. */
export interface ReconciliationRunsTable {
  id: string;
  /** JSON: the scopes compared, e.g. ["orders","inventory"]. */
  scope: string;
  /** queued | running | succeeded | failed (a check could not read a side; the others' drift is kept) */
  status: string;
  /** api | schedule */
  trigger: string;
  requested_by: string | null;
  window_from: number;
  window_to: number;
  /** JSON: [{ name, scope, drift, ms, error? }] per check. */
  checks: string | null;
  drift_count: number;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

/** A disagreement a run found between the hub, a channel and the ERP, and how it was resolved. */
export interface ReconciliationDriftTable {
  id: string;
  run_id: string;
  /** The scope whose check found it (orders, inventory, catalog, payments, journal). */
  scope: string;
  kind: string;
  entity: string;
  /** JSON array of system names (hub, connection ids). */
  systems: string;
  /** JSON */
  expected: string | null;
  /** JSON */
  actual: string | null;
  severity: string;
  /** The correction that puts it right, when there is one. */
  correction: string | null;
  /** JSON: what the correction needs. */
  detail: string | null;
  /** open | resolved | dismissed | failed | superseded (found again by a later run, which carries it) */
  status: string;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: number | null;
  created_at: number;
}

/** A payout from a payment provider to the bank, as the hub received it. */
export interface PayoutsTable {
  id: string;
  provider: string;
  connection_id: string;
  /** The provider's payout id. */
  reference: string;
  currency: string;
  amount: number;
  status: string;
  arrival_date: string | null;
  /** missing (to fetch from the provider), fetched, or reported (the lines came with the event). */
  lines_state: string;
  /** JSON: what keeps the payout from reconciling (validatePayout), or null. */
  violations: string | null;
  correlation_id: string;
  created_at: number;
  updated_at: number;
}

/** One settlement line of a payout (signed minor units). */
export interface SettlementLinesTable {
  payout_id: string;
  line_id: string;
  position: number;
  kind: string;
  reference: string;
  order_reference: string | null;
  /** JSON array: other provider ids of the line's source (e.g. the charge's PaymentIntent). */
  related: string;
  gross: number;
  fee: number;
  net: number;
  currency: string;
  /** The line in its source's own currency, when the provider converted it (minor units, currency). */
  original_amount: number | null;
  original_currency: string | null;
  /** Units of `currency` per unit of the original currency, a decimal string. */
  exchange_rate: string | null;
}

/** How one settlement line matched (or why it did not) the hub's order, capture, refund or charge. */
export interface SettlementMatchesTable {
  payout_id: string;
  line_id: string;
  connection_id: string;
  /** matched | unmatched */
  status: string;
  reason: string | null;
  order_id: string | null;
  target_kind: string | null;
  target_reference: string | null;
  expected: number | null;
  actual: number | null;
  tolerance: number;
  attempts: number;
  first_seen_at: number;
  updated_at: number;
}

/** A person signed in to the operations console; the token itself is never stored. */
export interface ConsoleSessionsTable {
  token_hash: string;
  csrf_token: string;
  principal_id: string;
  principal_kind: string;
  principal_name: string;
  scopes: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

/** An alert (SLA breach, dead-letter growth, open circuit, reconciliation drift): one open row per key. */
export interface AlertsTable {
  id: string;
  /** Stable dedup key, e.g. `circuit_open:shop-main`: at most one open alert per key. */
  key: string;
  kind: string;
  /** warning | critical */
  severity: string;
  title: string;
  /** JSON: what the condition saw last. */
  detail: string;
  /** open | resolved */
  status: string;
  /** Evaluations that saw the condition while open. */
  count: number;
  /** The evaluator that last saw a condition only its process can see (a circuit); null otherwise. */
  observer: string | null;
  first_seen_at: number;
  last_seen_at: number;
  resolved_at: number | null;
}

/** Messages settled per minute (epoch ms), type, outcome (done, dead, retried) and latency class. */
export interface MessageStatsTable {
  minute: number;
  type: string;
  outcome: string;
  latency_class: number;
  n: number;
}

export interface Schema {
  message_stats: MessageStatsTable;
  console_sessions: ConsoleSessionsTable;
  orders: OrdersTable;
  order_timeline: OrderTimelineTable;
  idempotency_keys: IdempotencyKeysTable;
  rejected_payloads: RejectedPayloadsTable;
  messages: MessagesTable;
  message_attempts: MessageAttemptsTable;
  message_replays: MessageReplaysTable;
  message_edits: MessageEditsTable;
  inbox: InboxTable;
  connector_state: ConnectorStateTable;
  channel_events: ChannelEventsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  oauth_clients: OAuthClientsTable;
  signing_keys: SigningKeysTable;
  rate_buckets: RateBucketsTable;
  subscriptions: SubscriptionsTable;
  subscription_deliveries: SubscriptionDeliveriesTable;
  workflow_runs: WorkflowRunsTable;
  workflow_steps: WorkflowStepsTable;
  stock_reservations: StockReservationsTable;
  order_line_quantities: OrderLineQuantitiesTable;
  inventory_levels: InventoryLevelsTable;
  inventory_marks: InventoryMarksTable;
  locations: LocationsTable;
  inventory_channel_levels: InventoryChannelLevelsTable;
  inventory_pending: InventoryPendingTable;
  products: ProductsTable;
  product_sources: ProductSourcesTable;
  product_publications: ProductPublicationsTable;
  sync_jobs: SyncJobsTable;
  journal_entries: JournalEntriesTable;
  reconciliation_runs: ReconciliationRunsTable;
  reconciliation_drift: ReconciliationDriftTable;
  payouts: PayoutsTable;
  settlement_lines: SettlementLinesTable;
  settlement_matches: SettlementMatchesTable;
  alerts: AlertsTable;
}
