// Environment -> typed configuration. Every setting has an embedded default, so `pinokio serve`
// needs nothing set up; a wrong value stops the start with a message naming the variable.
import os from 'node:os';
import path from 'node:path';
import { DECISION_DEFAULTS, RECOMMENDED_MATCH_THRESHOLD } from '@pinokio/face';

export interface Config {
  http: {
    host: string;
    port: number;
    publicUrl: string;
    trustProxy: boolean;
    bodyLimitBytes: number;
    /** on SIGTERM: seconds /readyz answers 503 while requests are still served, so balancers stop sending new ones first */
    drainDelaySeconds: number;
  };
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** unset: PGlite persisted under dataDir; 'memory://': PGlite in memory; postgres://...: a server */
  databaseUrl: string | undefined;
  /** unset: in-process cache and bus; set: Redis for both */
  redisUrl: string | undefined;
  /** prefix of every Redis key and channel, so several deployments (or test runs) can share a server */
  redisPrefix: string;
  storage:
    | { kind: 'local'; dir: string; publicPath: string }
    | {
        kind: 's3';
        endpoint: string | undefined;
        bucket: string;
        region: string;
        accessKeyId: string | undefined;
        secretAccessKey: string | undefined;
        forcePathStyle: boolean;
      };
  mail: { kind: 'outbox' } | { kind: 'smtp'; url: string };
  mailFrom: string;
  /** mobile / QR payment (docs/payments.md "Mobile / QR payment"): the fake (default, no money moves) or Toss Payments */
  paymentGateway: { kind: 'fake' } | { kind: 'toss'; apiUrl: string; secretKey: string; clientKey: string; timeoutMs: number };
  /** the order's payment (docs/payments.md): how long a card or mobile charge at the kiosk may take; how often expired orders are looked for */
  payments: { pendingPaymentMinutes: number; expiryCheckSeconds: number };
  /** text messages, e.g. "your order is ready" (docs/messaging.md): an outbox (default) or a JSON HTTP provider */
  messaging: {
    provider: { kind: 'outbox' } | { kind: 'http'; url: string; apiKey: string | undefined; sender: string | undefined; timeoutMs: number };
    maxAttempts: number;
    retryBaseSeconds: number;
    retryCheckSeconds: number;
  };
  auth: {
    /** HMAC key for access tokens and code hashes; unset: generated once and kept under dataDir */
    tokenSecret: string | undefined;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    argon2: { memoryKiB: number; timeCost: number; parallelism: number };
  };
  limits: {
    /** failed logins to one account from one client address */
    loginFailuresPerAccountAndAddressPerMinute: number;
    /** failed logins to one account from anywhere: a ceiling against guessing from many addresses */
    loginFailuresPerAccountPerMinute: number;
    loginPerIpPerMinute: number;
    codeRequestsPerEmailPerHour: number;
    codeRequestsPerIpPerHour: number;
    codeResendCooldownSeconds: number;
    passwordResetsPerEmailPerHour: number;
  };
  /** digital receipts (docs/payments.md, "Receipts") */
  receipts: {
    /** days a receipt's link (its QR code) works */
    tokenDays: number;
    /** public receipt lookups per client address per minute */
    lookupsPerIpPerMinute: number;
  };
  seedDemo: 'auto' | 'never';
  devPages: boolean;
  /** video consultations (docs/consultations.md) */
  consultations: {
    requestTimeoutSeconds: number;
    defaultCapacity: number;
    heartbeatSeconds: number;
    reconnectGraceSeconds: number;
    stunUrls: string[];
    turn: { urls: string[]; secret: string } | undefined;
    video: { provider: 'builtin' } | { provider: 'livekit'; url: string; apiKey: string; apiSecret: string };
  };
  /** returning customers (docs/customers.md) */
  customers: {
    /** 32 bytes (base64) encrypting customers' phones, names and faces; unset: generated once and kept in the database */
    dataKey: Buffer | undefined;
    faceMatchThreshold: number;
    /** the best member must beat the best other member by this (docs/faces.md, "Decision rule") */
    faceMatchMargin: number;
    /** faces kept per member, and how different a confirmed visit must be to become one (docs/faces.md, "Templates") */
    faceTemplatesPerMember: number;
    faceTemplateNoveltyBelow: number;
    faceRetentionDays: number;
    analysisTtlSeconds: number;
    phoneAttemptsPerKioskPerMinute: number;
    /** confirmation of a face match by the phone's last 4 digits (docs/customers.md#confirmation-by-digits) */
    confirmation: { ttlSeconds: number; attemptsPerConfirmation: number; attemptsPerKioskPerMinute: number; failuresPerMemberPerHour: number };
  };
  /** kiosk devices over gRPC (docs/devices.md) */
  devices: {
    grpc: { host: string; port: number; tls: { certPath: string; keyPath: string } | undefined };
    authFailuresPerKioskPerMinute: number;
    authFailuresPerPeerPerMinute: number;
    maxReadingsPerReport: number;
    maxDistanceCm: number;
    maxFramesPerBatch: number;
    maxFrameBytes: number;
    maxBatchBytes: number;
    /** the longest the card terminal waits for the customer's card (docs/payments.md, "Card at the kiosk") */
    cardTimeoutMs: number;
  };
  /** face analysis in worker threads (docs/faces.md) */
  face: {
    workers: number;
    analysisTimeoutMs: number;
    minFacePx: number;
    /** a face this large or larger gives an embedding (identity); smaller ones age and gender only */
    minIdentityFacePx: number;
    /** every two frames of a capture used for identity must be this similar */
    minFrameAgreement: number;
    minScore: number;
    maxPixels: number;
  };
  /** the live kiosk screen stream (docs/devices.md); senior mode is offered first from seniorAgeThreshold - seniorAgeMargin */
  kioskLive: { keepAliveSeconds: number; replayEvents: number; replayTtlSeconds: number; seniorAgeThreshold: number; seniorAgeMargin: number };
  /** text to speech for the kiosk's voice mode (docs/accessibility.md#text-to-speech-on-the-server) */
  speech: {
    engine:
      | { kind: 'espeak'; workers: number; queueLimit: number }
      | { kind: 'google'; url: string; apiKey: string | undefined; voices: { ko: string | undefined; en: string | undefined } };
    timeoutMs: number;
    requestsPerKioskPerMinute: number;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${variable} must be ${expected} (got "${got}")`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** a number from 0 to 1 (a similarity, a margin) */
function fraction(env: Env, name: string, fallback: number, expected: string): number {
  const raw = optional(env, name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!(value >= 0 && value <= 1)) throw new ConfigError(name, expected, raw ?? '');
  return value;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `a whole number from ${min} to ${max}`, raw);
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, 'true or false', raw);
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw as T)) throw new ConfigError(name, `one of ${allowed.join(', ')}`, raw);
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `a URL (${protocols.join(' or ')})`, raw);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `a URL starting with ${protocols.join(' or ')}`, raw);
  }
  return raw;
}

export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 8080, 0, 65535);
  const host = str(env, 'HOST', '0.0.0.0');
  const dataDir = path.resolve(str(env, 'DATA_DIR', './data'));
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:', 'memory:']);
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const smtpUrl = url(env, 'SMTP_URL', ['smtp:', 'smtps:']);
  const s3Bucket = optional(env, 'S3_BUCKET');
  const s3Endpoint = url(env, 'S3_ENDPOINT', ['http:', 'https:']);
  if (s3Endpoint && !s3Bucket) throw new ConfigError('S3_BUCKET', 'set when S3_ENDPOINT is set', '');
  const tokenSecret = optional(env, 'AUTH_TOKEN_SECRET');
  if (tokenSecret !== undefined && tokenSecret.length < 32) {
    throw new ConfigError('AUTH_TOKEN_SECRET', 'at least 32 characters', `${tokenSecret.length} characters`);
  }
  const logLevel = oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const);

  return {
    http: {
      host,
      port,
      publicUrl: str(env, 'PUBLIC_URL', `http://localhost:${port}`),
      trustProxy: bool(env, 'TRUST_PROXY', false),
      bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
      drainDelaySeconds: int(env, 'DRAIN_DELAY_SECONDS', 5, 0, 600),
    },
    dataDir,
    logLevel,
    databaseUrl,
    redisUrl,
    redisPrefix: str(env, 'REDIS_PREFIX', 'pinokio:'),
    storage: s3Bucket
      ? {
          kind: 's3',
          endpoint: s3Endpoint,
          bucket: s3Bucket,
          region: str(env, 'S3_REGION', 'us-east-1'),
          accessKeyId: optional(env, 'S3_ACCESS_KEY_ID'),
          secretAccessKey: optional(env, 'S3_SECRET_ACCESS_KEY'),
          forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', true),
        }
      : { kind: 'local', dir: path.join(dataDir, 'files'), publicPath: '/files' },
    mail: smtpUrl ? { kind: 'smtp', url: smtpUrl } : { kind: 'outbox' },
    mailFrom: str(env, 'MAIL_FROM', 'Pinokio <no-reply@pinokio.local>'),
    messaging: messagingConfig(env),
    paymentGateway: paymentGatewayConfig(env),
    payments: {
      pendingPaymentMinutes: int(env, 'PENDING_PAYMENT_MINUTES', 3, 1, 30),
      expiryCheckSeconds: int(env, 'PAYMENT_EXPIRY_CHECK_SECONDS', 60, 5, 3600),
    },
    auth: {
      tokenSecret,
      accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 10, 86_400),
      refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 14 * 86_400, 60, 90 * 86_400),
      argon2: {
        memoryKiB: int(env, 'ARGON2_MEMORY_KIB', 19_456, 1024, 1_048_576),
        timeCost: int(env, 'ARGON2_TIME_COST', 2, 1, 20),
        parallelism: int(env, 'ARGON2_PARALLELISM', 1, 1, 16),
      },
    },
    limits: {
      loginFailuresPerAccountAndAddressPerMinute: int(env, 'LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE', 10, 1, 1_000_000),
      loginFailuresPerAccountPerMinute: int(env, 'LIMIT_LOGIN_FAILURES_PER_ACCOUNT_PER_MINUTE', 100, 1, 1_000_000),
      loginPerIpPerMinute: int(env, 'LIMIT_LOGIN_PER_IP_PER_MINUTE', 60, 1, 1_000_000),
      codeRequestsPerEmailPerHour: int(env, 'LIMIT_CODE_REQUESTS_PER_EMAIL_PER_HOUR', 5, 1, 1_000_000),
      codeRequestsPerIpPerHour: int(env, 'LIMIT_CODE_REQUESTS_PER_IP_PER_HOUR', 30, 1, 1_000_000),
      codeResendCooldownSeconds: int(env, 'CODE_RESEND_COOLDOWN_SECONDS', 60, 0, 3600),
      passwordResetsPerEmailPerHour: int(env, 'LIMIT_PASSWORD_RESETS_PER_EMAIL_PER_HOUR', 5, 1, 1_000_000),
    },
    receipts: {
      tokenDays: int(env, 'RECEIPT_TOKEN_DAYS', 30, 1, 3650),
      lookupsPerIpPerMinute: int(env, 'LIMIT_RECEIPT_LOOKUPS_PER_IP_PER_MINUTE', 60, 1, 1_000_000),
    },
    seedDemo: oneOf(env, 'SEED_DEMO', 'auto', ['auto', 'never'] as const),
    // the outbox page shows sign-up and reset codes: on by default only when everything is embedded
    devPages: bool(env, 'DEV_PAGES', smtpUrl === undefined && databaseUrl === undefined),
    consultations: consultationsConfig(env),
    customers: customersConfig(env),
    ...devicesConfig(env),
    speech: speechConfig(env),
  };
}

function speechConfig(env: Env): Config['speech'] {
  const ttsUrl = url(env, 'TTS_URL', ['http:', 'https:']);
  return {
    engine: ttsUrl
      ? { kind: 'google', url: ttsUrl, apiKey: optional(env, 'TTS_API_KEY'), voices: { ko: optional(env, 'TTS_VOICE_KO'), en: optional(env, 'TTS_VOICE_EN') } }
      : {
          kind: 'espeak',
          workers: int(env, 'TTS_WORKERS', Math.max(1, Math.min(2, os.availableParallelism())), 1, 16),
          queueLimit: int(env, 'TTS_QUEUE_LIMIT', 32, 1, 10_000),
        },
    timeoutMs: int(env, 'TTS_TIMEOUT_MS', 10_000, 100, 120_000),
    requestsPerKioskPerMinute: int(env, 'LIMIT_SPEECH_PER_KIOSK_PER_MINUTE', 300, 1, 1_000_000),
  };
}

function devicesConfig(env: Env): Pick<Config, 'devices' | 'face' | 'kioskLive'> {
  const certPath = optional(env, 'DEVICE_GRPC_TLS_CERT');
  const keyPath = optional(env, 'DEVICE_GRPC_TLS_KEY');
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new ConfigError(certPath ? 'DEVICE_GRPC_TLS_KEY' : 'DEVICE_GRPC_TLS_CERT', 'set together with the other TLS file', '');
  }
  const rawScore = optional(env, 'FACE_MIN_SCORE');
  const minScore = rawScore === undefined ? 0.5 : Number(rawScore);
  if (!(minScore >= 0 && minScore <= 1)) throw new ConfigError('FACE_MIN_SCORE', 'a detection score from 0 to 1', rawScore ?? '');
  const maxBatchBytes = int(env, 'DEVICE_MAX_BATCH_BYTES', 12 * 1_048_576, 1024, 64 * 1_048_576);
  return {
    devices: {
      grpc: {
        host: str(env, 'DEVICE_GRPC_HOST', str(env, 'HOST', '0.0.0.0')),
        port: int(env, 'DEVICE_GRPC_PORT', 50051, 0, 65535),
        tls: certPath && keyPath ? { certPath: path.resolve(certPath), keyPath: path.resolve(keyPath) } : undefined,
      },
      authFailuresPerKioskPerMinute: int(env, 'LIMIT_DEVICE_AUTH_FAILURES_PER_KIOSK_PER_MINUTE', 20, 1, 1_000_000),
      authFailuresPerPeerPerMinute: int(env, 'LIMIT_DEVICE_AUTH_FAILURES_PER_PEER_PER_MINUTE', 600, 1, 1_000_000),
      maxReadingsPerReport: int(env, 'DEVICE_MAX_READINGS_PER_REPORT', 600, 1, 100_000),
      maxDistanceCm: int(env, 'DEVICE_MAX_DISTANCE_CM', 1000, 10, 100_000),
      maxFramesPerBatch: int(env, 'DEVICE_MAX_FRAMES_PER_BATCH', 10, 1, 10),
      maxFrameBytes: Math.min(int(env, 'DEVICE_MAX_FRAME_BYTES', 4 * 1_048_576, 1024, 64 * 1_048_576), maxBatchBytes),
      maxBatchBytes,
      cardTimeoutMs: int(env, 'CARD_TIMEOUT_MS', 60_000, 1_000, 300_000),
    },
    face: {
      workers: int(env, 'FACE_WORKERS', Math.max(1, Math.min(2, os.availableParallelism())), 1, 64),
      analysisTimeoutMs: int(env, 'FACE_ANALYSIS_TIMEOUT_MS', 10_000, 100, 600_000),
      minFacePx: int(env, 'FACE_MIN_FACE_PX', 64, 1, 4096),
      minIdentityFacePx: int(env, 'FACE_MIN_IDENTITY_FACE_PX', DECISION_DEFAULTS.minIdentityFaceSize, 1, 4096),
      minFrameAgreement: fraction(env, 'FACE_MIN_FRAME_AGREEMENT', DECISION_DEFAULTS.minFrameAgreement, 'a cosine similarity from 0 to 1'),
      minScore,
      maxPixels: int(env, 'FACE_MAX_PIXELS', 4096 * 4096, 10_000, 100_000_000),
    },
    kioskLive: {
      keepAliveSeconds: int(env, 'LIVE_KEEPALIVE_SECONDS', 15, 1, 300),
      replayEvents: int(env, 'LIVE_REPLAY_EVENTS', 50, 1, 1000),
      replayTtlSeconds: int(env, 'LIVE_REPLAY_TTL_SECONDS', 600, 10, 86_400),
      seniorAgeThreshold: int(env, 'SENIOR_AGE_THRESHOLD', 60, 1, 150),
      // the age estimate reads old faces young (docs/faces.md, "Age"): offer senior mode first from below the threshold
      seniorAgeMargin: int(env, 'SENIOR_AGE_MARGIN', DECISION_DEFAULTS.seniorAgeMargin, 0, 50),
    },
  };
}

function paymentGatewayConfig(env: Env): Config['paymentGateway'] {
  if (oneOf(env, 'PAYMENT_GATEWAY', 'fake', ['fake', 'toss'] as const) === 'fake') return { kind: 'fake' };
  const secretKey = optional(env, 'TOSS_SECRET_KEY');
  const clientKey = optional(env, 'TOSS_CLIENT_KEY');
  if (!secretKey) throw new ConfigError('TOSS_SECRET_KEY', 'set when PAYMENT_GATEWAY is toss', '');
  if (!clientKey) throw new ConfigError('TOSS_CLIENT_KEY', 'set when PAYMENT_GATEWAY is toss', '');
  return {
    kind: 'toss',
    apiUrl: url(env, 'TOSS_API_URL', ['http:', 'https:']) ?? 'https://api.tosspayments.com',
    secretKey,
    clientKey,
    timeoutMs: int(env, 'TOSS_TIMEOUT_MS', 10_000, 100, 60_000),
  };
}

function messagingConfig(env: Env): Config['messaging'] {
  const messagingUrl = url(env, 'MESSAGING_URL', ['http:', 'https:']);
  return {
    provider: messagingUrl
      ? {
          kind: 'http',
          url: messagingUrl,
          apiKey: optional(env, 'MESSAGING_API_KEY'),
          sender: optional(env, 'MESSAGING_SENDER'),
          timeoutMs: int(env, 'MESSAGING_TIMEOUT_MS', 5000, 100, 60_000),
        }
      : { kind: 'outbox' },
    maxAttempts: int(env, 'MESSAGING_MAX_ATTEMPTS', 6, 1, 50),
    retryBaseSeconds: int(env, 'MESSAGING_RETRY_BASE_SECONDS', 30, 1, 3600),
    retryCheckSeconds: int(env, 'MESSAGING_RETRY_CHECK_SECONDS', 15, 1, 3600),
  };
}

function customersConfig(env: Env): Config['customers'] {
  const rawKey = optional(env, 'CUSTOMER_DATA_KEY');
  const dataKey = rawKey === undefined ? undefined : Buffer.from(rawKey, 'base64');
  if (rawKey !== undefined && (dataKey!.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(rawKey))) {
    throw new ConfigError('CUSTOMER_DATA_KEY', '32 bytes in base64 (openssl rand -base64 32)', `${rawKey.length} characters`);
  }
  const rawThreshold = optional(env, 'FACE_MATCH_THRESHOLD');
  const faceMatchThreshold = rawThreshold === undefined ? RECOMMENDED_MATCH_THRESHOLD : Number(rawThreshold);
  if (!(faceMatchThreshold > 0 && faceMatchThreshold < 1)) {
    throw new ConfigError('FACE_MATCH_THRESHOLD', 'a cosine similarity between 0 and 1', rawThreshold ?? '');
  }
  return {
    dataKey,
    faceMatchThreshold,
    faceMatchMargin: fraction(env, 'FACE_MATCH_MARGIN', DECISION_DEFAULTS.matchMargin, 'a similarity difference from 0 to 1'),
    faceTemplatesPerMember: int(env, 'FACE_TEMPLATES_PER_MEMBER', DECISION_DEFAULTS.templatesPerMember, 1, 20),
    faceTemplateNoveltyBelow: fraction(env, 'FACE_TEMPLATE_NOVELTY_BELOW', DECISION_DEFAULTS.templateNoveltyBelow, 'a cosine similarity from 0 to 1'),
    faceRetentionDays: int(env, 'FACE_RETENTION_DAYS', 365, 1, 3650),
    analysisTtlSeconds: int(env, 'FACE_ANALYSIS_TTL_SECONDS', 600, 30, 3600),
    phoneAttemptsPerKioskPerMinute: int(env, 'LIMIT_PHONE_ENTRIES_PER_KIOSK_PER_MINUTE', 10, 1, 1_000_000),
    confirmation: {
      ttlSeconds: int(env, 'CONFIRMATION_TTL_SECONDS', 180, 30, 3600),
      attemptsPerConfirmation: int(env, 'CONFIRMATION_ATTEMPTS', 3, 1, 10),
      attemptsPerKioskPerMinute: int(env, 'LIMIT_CONFIRMATION_DIGITS_PER_KIOSK_PER_MINUTE', 10, 1, 1_000_000),
      failuresPerMemberPerHour: int(env, 'LIMIT_CONFIRMATION_FAILURES_PER_MEMBER_PER_HOUR', 10, 1, 1_000_000),
    },
  };
}

function consultationsConfig(env: Env): Config['consultations'] {
  const list = (name: string, prefixes: string[]) => {
    const urls = (optional(env, name) ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    const wrong = urls.find((entry) => !prefixes.some((prefix) => entry.startsWith(prefix)));
    if (wrong !== undefined) throw new ConfigError(name, `comma-separated URLs starting with ${prefixes.join(' or ')}`, wrong);
    return urls;
  };
  const turnUrls = list('TURN_URL', ['turn:', 'turns:']);
  const turnSecret = optional(env, 'TURN_SECRET');
  if (turnUrls.length > 0 && !turnSecret) throw new ConfigError('TURN_SECRET', 'set when TURN_URL is set', '');
  const provider = oneOf(env, 'VIDEO_PROVIDER', 'builtin', ['builtin', 'livekit'] as const);
  let video: Config['consultations']['video'] = { provider: 'builtin' };
  if (provider === 'livekit') {
    const liveKitUrl = url(env, 'LIVEKIT_URL', ['ws:', 'wss:', 'http:', 'https:']);
    const apiKey = optional(env, 'LIVEKIT_API_KEY');
    const apiSecret = optional(env, 'LIVEKIT_API_SECRET');
    if (!liveKitUrl) throw new ConfigError('LIVEKIT_URL', 'set when VIDEO_PROVIDER is livekit', '');
    if (!apiKey || !apiSecret) throw new ConfigError('LIVEKIT_API_KEY', 'set with LIVEKIT_API_SECRET when VIDEO_PROVIDER is livekit', '');
    video = { provider: 'livekit', url: liveKitUrl, apiKey, apiSecret };
  }
  return {
    requestTimeoutSeconds: int(env, 'CONSULTATION_REQUEST_TIMEOUT_SECONDS', 30, 1, 600),
    defaultCapacity: int(env, 'COUNSELOR_DEFAULT_CAPACITY', 3, 1, 3),
    heartbeatSeconds: int(env, 'CONSULTATION_HEARTBEAT_SECONDS', 15, 1, 300),
    reconnectGraceSeconds: int(env, 'CONSULTATION_RECONNECT_GRACE_SECONDS', 20, 0, 600),
    stunUrls: list('STUN_URLS', ['stun:', 'stuns:']),
    turn: turnUrls.length > 0 ? { urls: turnUrls, secret: turnSecret! } : undefined,
    video,
  };
}
