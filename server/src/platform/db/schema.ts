// Row types of every table, as Kysely sees them. Keep in step with migrations/.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type AccountRole = 'owner' | 'counselor';
/** kitchen and pickup: a store's kitchen display and pickup board, signed in like a kiosk */
export type ScreenKind = 'kiosk' | 'kitchen' | 'pickup';
export type Role = AccountRole | ScreenKind;

export interface BrandsTable {
  id: Generated<string>;
  name: string;
  code: string;
  created_at: CreatedAt;
}

export interface StoresTable {
  id: Generated<string>;
  brand_id: string;
  name: string;
  time_zone: Generated<string>;
  closed_at: NullableTimestamp;
  created_at: CreatedAt;
  /** what the receipt prints (0017); registration number: 10 digits */
  business_name: string | null;
  business_registration_number: string | null;
  business_address: string | null;
  business_phone: string | null;
  /** whether an order to be paid at the counter reaches the kitchen before it is paid (0017) */
  kitchen_starts_unpaid: Generated<boolean>;
  unpaid_expiry_minutes: Generated<number>;
}

export interface AccountsTable {
  id: Generated<string>;
  role: AccountRole;
  email: string;
  password_hash: string;
  display_name: string;
  brand_id: string;
  store_id: string | null;
  withdrawn_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface KiosksTable {
  id: Generated<string>;
  store_id: string;
  name: string;
  login_id: string;
  secret_hash: string;
  kind: Generated<ScreenKind>;
  created_at: CreatedAt;
  deleted_at: NullableTimestamp;
  /** set while the kiosk reports it cannot speak (0016) */
  speech_unavailable_since: NullableTimestamp;
  /** the screen's visible height and its bottom edge above the floor, in cm; both or neither (0013) */
  screen_height_cm: ColumnType<number | null, number | null | undefined, number | null>;
  screen_bottom_cm: ColumnType<number | null, number | null | undefined, number | null>;
  /** what the kiosk's agent last said about its peripherals (0017) */
  printer_status: Generated<PrinterStatus>;
  terminal_status: Generated<TerminalStatus>;
  peripherals_at: NullableTimestamp;
}

export type PrinterStatus = 'none' | 'ready' | 'paper_low' | 'paper_out' | 'offline';
export type TerminalStatus = 'none' | 'ready' | 'offline';

export interface SessionsTable {
  id: Generated<string>;
  role: Role;
  subject_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoke_reason: string | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  session_id: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: CreatedAt;
}

export type EmailCodePurpose = 'signup' | 'password_reset';

export interface EmailCodesTable {
  id: Generated<string>;
  email: string;
  purpose: EmailCodePurpose;
  role: AccountRole | null;
  code_hash: string;
  attempts: Generated<number>;
  expires_at: Timestamp;
  verified_at: NullableTimestamp;
  verification_token_hash: string | null;
  consumed_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface MailOutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  body: string;
  created_at: CreatedAt;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: CreatedAt;
}

export interface CategoriesTable {
  id: Generated<string>;
  store_id: string;
  name: string;
  position: number;
  created_at: CreatedAt;
  deleted_at: NullableTimestamp;
}

export interface ItemsTable {
  id: Generated<string>;
  store_id: string;
  category_id: string;
  name: string;
  description: Generated<string>;
  price: number;
  stock: number | null;
  image_key: string | null;
  /** menu facts (migration 0009): null is unknown; caffeine_mg 0 is caffeine-free */
  caffeine_mg: number | null;
  sugar_g: number | null;
  kcal: number | null;
  allergens: ColumnType<string[], string[] | undefined, string[]>;
  shown_on_kiosk: Generated<boolean>;
  sold_out: Generated<boolean>;
  dining: Generated<ItemDining>;
  position: Generated<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  deleted_at: NullableTimestamp;
}

/** which orders an item is offered for (migration 0008) */
export type ItemDining = 'any' | 'eat_in_only' | 'take_out_only';
/** eat-in or take-out; null on orders placed before the kiosk asked */
export type Dining = 'eat_in' | 'take_out';

export type OptionGroupKind = 'single' | 'multiple';

export interface OptionGroupsTable {
  id: Generated<string>;
  item_id: string;
  name: string;
  kind: OptionGroupKind;
  required: Generated<boolean>;
  position: number;
}

export interface OptionsTable {
  id: Generated<string>;
  group_id: string;
  name: string;
  price_delta: Generated<number>;
  position: number;
}

export interface OrderCountersTable {
  store_id: string;
  local_date: ColumnType<string, string, string>;
  last_number: number;
}

export type OrderStatus = 'placed' | 'preparing' | 'ready' | 'completed' | 'cancelled';
/** what the customer chose at the kiosk */
export type PaymentMethod = 'card' | 'mobile' | 'counter';
/** the order's payment (0017, docs/payments.md) */
export type PaymentStatus = 'pending' | 'unpaid' | 'paid' | 'partially_refunded' | 'refunded';
/** how the money came in */
export type PaidMethod = 'kiosk_card' | 'mobile' | 'counter_cash' | 'counter_card';

export interface OrdersTable {
  id: Generated<string>;
  store_id: string;
  kiosk_id: string | null;
  customer_id: string | null;
  number: number;
  local_date: ColumnType<string, string, string>;
  status: OrderStatus;
  payment_method: PaymentMethod;
  total: number;
  idempotency_key: string | null;
  request_hash: string | null;
  cancel_reason: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  cancelled_at: NullableTimestamp;
  dining: Dining | null;
  payment_status: PaymentStatus;
  paid_method: PaidMethod | null;
  paid_amount: Generated<number>;
  refunded_amount: Generated<number>;
  approval_number: string | null;
  paid_at: NullableTimestamp;
  pay_by: NullableTimestamp;
  payment_idempotency_key: string | null;
}

export type PaymentAttemptState = 'requested' | 'approved' | 'confirmed' | 'declined' | 'void_requested' | 'voided' | 'void_failed';

/** a charge at the kiosk: card through the agent's terminal, or mobile through the gateway (0017) */
export interface PaymentAttemptsTable {
  id: Generated<string>;
  store_id: string;
  order_id: string;
  kiosk_id: string | null;
  method: Exclude<PaymentMethod, 'counter'>;
  amount: number;
  state: Generated<PaymentAttemptState>;
  approval_number: string | null;
  provider_reference: string | null;
  outcome_message: string | null;
  confirm_by: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type RefundState = 'pending' | 'done' | 'failed';

export interface RefundsTable {
  id: Generated<string>;
  store_id: string;
  order_id: string;
  amount: number;
  method: PaidMethod;
  reason: string;
  account_id: string | null;
  idempotency_key: string | null;
  state: Generated<RefundState>;
  provider_reference: string | null;
  outcome_message: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ReceiptsTable {
  id: Generated<string>;
  store_id: string;
  order_id: string;
  token_hash: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export type ReceiptPrintState = 'sent' | 'printed' | 'paper_out' | 'offline';

export interface ReceiptPrintsTable {
  id: Generated<string>;
  order_id: string;
  kiosk_id: string;
  state: Generated<ReceiptPrintState>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** one per store and business date; a rerun replaces it (0017) */
export interface ReconciliationRunsTable {
  id: Generated<string>;
  store_id: string;
  business_date: ColumnType<string, string, string>;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  finished_at: NullableTimestamp;
  orders_checked: Generated<number>;
  mismatch_count: Generated<number>;
}

export type ReconciliationMismatchKind =
  | 'charge_without_order'
  | 'amount_mismatch'
  | 'order_without_charge'
  | 'void_failed'
  | 'refund_failed'
  | 'gateway_mismatch';

export interface ReconciliationMismatchesTable {
  id: Generated<string>;
  run_id: string;
  store_id: string;
  order_id: string | null;
  payment_attempt_id: string | null;
  kind: ReconciliationMismatchKind;
  expected_amount: number | null;
  actual_amount: number | null;
  detail: string;
  created_at: CreatedAt;
}

export interface OrderLineOption {
  group: string;
  name: string;
  priceDelta: number;
}

export interface OrderLinesTable {
  id: Generated<string>;
  order_id: string;
  item_id: string;
  item_name: string;
  unit_price: number;
  quantity: number;
  options: ColumnType<OrderLineOption[], string, string>;
  line_total: number;
  position: number;
  note: string | null;
}

export interface DailySalesTable {
  store_id: string;
  brand_id: string;
  local_date: ColumnType<string, string, string>;
  order_count: number;
  total: number;
  eat_in_count: Generated<number>;
  eat_in_total: Generated<number>;
  take_out_count: Generated<number>;
  take_out_total: Generated<number>;
}

export interface DailyItemSalesTable {
  store_id: string;
  local_date: ColumnType<string, string, string>;
  item_id: string;
  quantity: number;
  total: number;
}

export type PresenceStatus = 'online' | 'away';
export type ConsultationParty = 'kiosk' | 'counselor';
export type ConsultationRequestStatus = 'waiting' | 'accepted' | 'rejected' | 'expired' | 'cancelled';
export type ConsultationOutcome = 'completed' | 'disconnected';

export interface CounselorPresenceTable {
  account_id: string;
  status: Generated<PresenceStatus>;
  capacity: number;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ConsultationConnectionsTable {
  id: string;
  role: ConsultationParty;
  subject_id: string;
  connected_at: CreatedAt;
  seen_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ConsultationRequestsTable {
  id: Generated<string>;
  kiosk_id: string;
  store_id: string;
  brand_id: string;
  status: ConsultationRequestStatus;
  created_at: CreatedAt;
  expires_at: Timestamp;
  decided_at: NullableTimestamp;
  consultation_id: string | null;
}

export interface ConsultationOffersTable {
  request_id: string;
  counselor_id: string;
  offered_at: CreatedAt;
  rejected_at: NullableTimestamp;
}

export interface ConsultationsTable {
  id: Generated<string>;
  request_id: string;
  kiosk_id: string;
  store_id: string;
  brand_id: string;
  counselor_id: string;
  local_date: ColumnType<string, string, string>;
  started_at: CreatedAt;
  ended_at: NullableTimestamp;
  ended_by: ConsultationParty | 'system' | null;
  outcome: ConsultationOutcome | null;
  kiosk_left_at: NullableTimestamp;
  counselor_left_at: NullableTimestamp;
}

export interface CustomersTable {
  id: Generated<string>;
  store_id: string;
  brand_id: string;
  phone_hash: string;
  /** bytea: AES-256-GCM (docs/customers.md); PGlite reads it as a Uint8Array, pg as a Buffer */
  phone_encrypted: Uint8Array;
  name_encrypted: Uint8Array | null;
  consent_version: string;
  consented_at: Timestamp;
  /** when the member's faces were (re-)enrolled; null once forgotten (the faces: customer_face_templates) */
  embedding_updated_at: NullableTimestamp;
  last_seen_at: NullableTimestamp;
  created_at: CreatedAt;
  /** "your order is ready" by text message (migration 0011, docs/messaging.md): a consent of its own */
  ready_notice_consent: Generated<boolean>;
  ready_notice_consent_version: string | null;
  ready_notice_consented_at: NullableTimestamp;
  language: Generated<MemberLanguage>;
}

/** a member's faces (migration 0014, docs/faces.md "Templates"): encrypted, with the model that made each */
export interface CustomerFaceTemplatesTable {
  id: Generated<string>;
  customer_id: string;
  store_id: string;
  embedding_version: string;
  embedding_encrypted: Uint8Array;
  created_at: Timestamp;
}

export type MemberLanguage = 'ko' | 'en';
export type NotificationKind = 'order_ready';
export type NotificationStatus = 'pending' | 'sent' | 'failed' | 'cancelled';

export interface NotificationsTable {
  id: Generated<string>;
  order_id: string;
  kind: NotificationKind;
  store_id: string;
  customer_id: string | null;
  status: Generated<NotificationStatus>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_error: string | null;
  provider_message_id: string | null;
  created_at: CreatedAt;
  sent_at: NullableTimestamp;
}

export interface MessageOutboxTable {
  id: Generated<number>;
  to_masked: string;
  body: string;
  idempotency_key: string;
  created_at: CreatedAt;
}

export interface DeviceSettingsTable {
  store_id: string;
  sample_interval_ms: number;
  arrive_below_cm: number;
  arrive_consecutive: number;
  arrive_tolerance_cm: number;
  leave_after_ms: number;
  frames_per_capture: number;
  frame_interval_ms: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** a kiosk's own device settings: a null column follows the store's value (0015) */
export interface KioskDeviceSettingsTable {
  kiosk_id: string;
  store_id: string;
  sample_interval_ms: number | null;
  arrive_below_cm: number | null;
  arrive_consecutive: number | null;
  arrive_tolerance_cm: number | null;
  leave_after_ms: number | null;
  frames_per_capture: number | null;
  frame_interval_ms: number | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface KitchenSettingsTable {
  store_id: string;
  late_after_minutes: number;
  pickup_hold_minutes: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface KitchenStationsTable {
  id: Generated<string>;
  store_id: string;
  name: string;
  created_at: CreatedAt;
}

export interface KitchenCategoryStationsTable {
  category_id: string;
  station_id: string;
}

export interface StaffCallsTable {
  id: Generated<string>;
  store_id: string;
  kiosk_id: string;
  reason: 'requested' | 'stalled';
  mode: 'large' | 'voice' | 'standard';
  local_date: string;
  created_at: CreatedAt;
  acknowledged_at: NullableTimestamp;
  acknowledged_by: string | null;
}

export interface StaffCallSettingsTable {
  store_id: string;
  stall_alert_seconds: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DB {
  payment_attempts: PaymentAttemptsTable;
  refunds: RefundsTable;
  receipts: ReceiptsTable;
  receipt_prints: ReceiptPrintsTable;
  reconciliation_runs: ReconciliationRunsTable;
  reconciliation_mismatches: ReconciliationMismatchesTable;
  staff_calls: StaffCallsTable;
  staff_call_settings: StaffCallSettingsTable;
  kitchen_settings: KitchenSettingsTable;
  kitchen_stations: KitchenStationsTable;
  kitchen_category_stations: KitchenCategoryStationsTable;
  device_settings: DeviceSettingsTable;
  kiosk_device_settings: KioskDeviceSettingsTable;
  customers: CustomersTable;
  customer_face_templates: CustomerFaceTemplatesTable;
  categories: CategoriesTable;
  items: ItemsTable;
  option_groups: OptionGroupsTable;
  options: OptionsTable;
  order_counters: OrderCountersTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  daily_sales: DailySalesTable;
  daily_item_sales: DailyItemSalesTable;
  server_secrets: ServerSecretsTable;
  brands: BrandsTable;
  stores: StoresTable;
  accounts: AccountsTable;
  kiosks: KiosksTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  email_codes: EmailCodesTable;
  mail_outbox: MailOutboxTable;
  notifications: NotificationsTable;
  message_outbox: MessageOutboxTable;
  counselor_presence: CounselorPresenceTable;
  consultation_connections: ConsultationConnectionsTable;
  consultation_requests: ConsultationRequestsTable;
  consultation_offers: ConsultationOffersTable;
  consultations: ConsultationsTable;
}
