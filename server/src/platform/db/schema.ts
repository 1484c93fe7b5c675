// Row types of every table, as Kysely sees them. Keep in step with migrations/.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type AccountRole = 'owner' | 'counselor';
export type Role = AccountRole | 'kiosk';

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
  created_at: CreatedAt;
  deleted_at: NullableTimestamp;
}

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

export interface DB {
  server_secrets: ServerSecretsTable;
  brands: BrandsTable;
  stores: StoresTable;
  accounts: AccountsTable;
  kiosks: KiosksTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  email_codes: EmailCodesTable;
  mail_outbox: MailOutboxTable;
}
