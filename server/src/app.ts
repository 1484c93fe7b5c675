// The composition root: builds everything from a Config. The only place that picks adapters.
import fs from 'node:fs';
import path from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { createFacePool, EMBEDDING_VERSION, type FacePool } from '@pinokio/face';
import type { Config } from './config.js';
import type { Bus } from './platform/bus/bus.js';
import { MemoryBus } from './platform/bus/memory-bus.js';
import { ReplayableEvents } from './platform/bus/replayable-events.js';
import type { Cache } from './platform/cache/cache.js';
import { MemoryCache } from './platform/cache/memory-cache.js';
import { openDatabase, type Database, type DatabaseHandle } from './platform/db/database.js';
import { serverSecret } from './platform/db/server-secrets.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { createHttpServer, type HttpServer } from './platform/http/http-server.js';
import type { Mailer } from './platform/mail/mailer.js';
import { OutboxMailer } from './platform/mail/outbox-mailer.js';
import type { Messenger } from './platform/messaging/messenger.js';
import { OutboxMessenger } from './platform/messaging/outbox-messenger.js';
import { NotificationsService } from './modules/notifications/notifications.service.js';
import { LocalStorage } from './platform/storage/local-storage.js';
import type { Storage } from './platform/storage/storage.js';
import { accountsRoutes } from './modules/accounts/accounts.routes.js';
import { AccountsService } from './modules/accounts/accounts.service.js';
import { accessPolicy } from './modules/auth/access-policy.js';
import { AccessTokens } from './modules/auth/access-token.js';
import { AuthRepository } from './modules/auth/auth.repository.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { AuthService } from './modules/auth/auth.service.js';
import { PasswordHasher } from './modules/auth/password-hasher.js';
import { BrandsService } from './modules/brands/brands.service.js';
import { emailCodesRoutes } from './modules/email-codes/email-codes.routes.js';
import { EmailCodesService } from './modules/email-codes/email-codes.service.js';
import { catalogRoutes } from './modules/catalog/catalog.routes.js';
import { consultationsRoutes } from './modules/consultations/consultations.routes.js';
import { CustomerDataKeys } from './modules/customers/customer-data.js';
import { customersRoutes } from './modules/customers/customers.routes.js';
import { MemberConfirmations } from './modules/customers/member-confirmations.js';
import { memberConfirmationsRoutes } from './modules/customers/member-confirmations.routes.js';
import { CustomersService } from './modules/customers/customers.service.js';
import { FaceIndexes } from './modules/customers/face-indexes.js';
import { ConsultationsService } from './modules/consultations/consultations.service.js';
import { consultationsSocket } from './modules/consultations/consultations.socket.js';
import { Video } from './modules/consultations/video.js';
import { CatalogService } from './modules/catalog/catalog.service.js';
import { filesRoutes } from './modules/files/files.routes.js';
import { FilesService } from './modules/files/files.service.js';
import { DeviceAuthenticator } from './modules/devices/device-auth.js';
import { DeviceGrpcServer } from './modules/devices/devices.grpc.js';
import { devicesRoutes } from './modules/devices/devices.routes.js';
import { DevicesService, KIOSK_REMOVED_CHANNEL } from './modules/devices/devices.service.js';
import { kioskLiveRoutes } from './modules/kiosk-live/kiosk-live.routes.js';
import { kioskChargesRoutes } from './modules/payments/kiosk-charges.routes.js';
import { KioskChargesService } from './modules/payments/kiosk-charges.service.js';
import { mobilePaymentsRoutes } from './modules/payments/mobile-payments.routes.js';
import { MobilePaymentsService } from './modules/payments/mobile-payments.service.js';
import { FakePaymentGateway } from './platform/payment-gateway/fake-gateway.js';
import type { PaymentGateway } from './platform/payment-gateway/payment-gateway.js';
import { TossPaymentsGateway } from './platform/payment-gateway/toss-payments-gateway.js';
import { receiptsRoutes } from './modules/receipts/receipts.routes.js';
import { ReceiptsService } from './modules/receipts/receipts.service.js';
import { KioskLiveService } from './modules/kiosk-live/kiosk-live.service.js';
import { kitchenRoutes } from './modules/kitchen/kitchen.routes.js';
import { KitchenService } from './modules/kitchen/kitchen.service.js';
import { kiosksRoutes } from './modules/kiosks/kiosks.routes.js';
import { KiosksService } from './modules/kiosks/kiosks.service.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { ordersRoutes } from './modules/orders/orders.routes.js';
import { paymentsRoutes } from './modules/payments/payments.routes.js';
import { PaymentsService } from './modules/payments/payments.service.js';
import { OrdersService, type StoreLiveEvent } from './modules/orders/orders.service.js';
import type { KioskPaymentStarters } from './modules/orders/payment.js';
import { salesRoutes } from './modules/sales/sales.routes.js';
import { reconciliationRoutes } from './modules/reconciliation/reconciliation.routes.js';
import { dailyReconciliationJob, ReconciliationService } from './modules/reconciliation/reconciliation.service.js';
import { speechRoutes } from './modules/speech/speech.routes.js';
import { SpeechService } from './modules/speech/speech.service.js';
import { staffCallsRoutes } from './modules/staff-calls/staff-calls.routes.js';
import { StaffCallsService } from './modules/staff-calls/staff-calls.service.js';
import { SalesService } from './modules/sales/sales.service.js';
import { Scheduler } from './platform/jobs/scheduler.js';
import { addDays } from './platform/time/local-date.js';
import { EspeakSynthesizer } from './platform/speech/espeak-synthesizer.js';
import { GoogleSpeechSynthesizer } from './platform/speech/google-synthesizer.js';
import type { SpeechSynthesizer } from './platform/speech/speech-synthesizer.js';

export interface App {
  config: Config;
  http: HttpServer;
  database: DatabaseHandle;
  cache: Cache;
  bus: Bus;
  storage: Storage;
  mailer: Mailer;
  services: {
    auth: AuthService;
    accounts: AccountsService;
    brands: BrandsService;
    kiosks: KiosksService;
    codes: EmailCodesService;
    orders: OrdersService;
    /** counter payments, refunds, payment settings, the unpaid-order expiry (docs/payments.md) */
    payments: PaymentsService;
    sales: SalesService;
    consultations: ConsultationsService;
    customers: CustomersService;
    /** confirmation of face matches by the phone's last 4 digits; onMemberConfirmed() hooks in */
    memberConfirmations: MemberConfirmations<Awaited<ReturnType<OrdersService['recommendationsFor']>>>;
    catalog: CatalogService;
    passwords: PasswordHasher;
    devices: DevicesService;
    kioskLive: KioskLiveService;
    notifications: NotificationsService;
    /** the daily reconciliation of charges against orders (docs/payments.md#reconciliation) */
    reconciliation: ReconciliationService;
    /** digital receipts and the kiosk's printed ones (docs/payments.md, "Receipts") */
    receipts: ReceiptsService;
    /** mobile / QR payment through the payment gateway (docs/payments.md, "Mobile / QR payment") */
    mobilePayments: MobilePaymentsService;
  };
  /** the face analysis worker pool (workers start on first use) */
  faces: FacePool;
  /** text to speech: eSpeak NG in child processes (started on first use), or a cloud voice (TTS_URL) */
  speech: SpeechSynthesizer;
  /** the device gRPC server's "host:port" once listen() has run (the real port when DEVICE_GRPC_PORT is 0) */
  readonly deviceAddress: string;
  scheduler: Scheduler;
  /** listens on the configured port; returns the address */
  listen(): Promise<string>;
  /** the first step of a shutdown: /readyz answers 503 from now on, so balancers stop sending requests; they are still served */
  startDraining(): void;
  /** stops taking requests, lets those under way finish, tells streams and sockets to reconnect, then closes every adapter */
  close(): Promise<void>;
}

// PINOKIO_WEB_DIST: another build of the web app (a developer's or a test's own `vite build --outDir`)
const webDist = process.env.PINOKIO_WEB_DIST ? path.resolve(process.env.PINOKIO_WEB_DIST) : fileURLToPath(new URL('../../web/dist/', import.meta.url));

export async function createApp(config: Config): Promise<App> {
  // the pool's connection errors are logged once the logger exists; until then they still must not end the process
  let logDatabaseProblem = (_error: Error) => {};
  const database = await openDatabase(config.databaseUrl, config.dataDir, { onConnectionError: (error) => logDatabaseProblem(error) });
  await migrateToLatest(database.db);
  const db = database.db;

  const http = await createHttpServer({
    logLevel: config.logLevel,
    trustProxy: config.http.trustProxy,
    bodyLimitBytes: config.http.bodyLimitBytes,
    publicUrl: config.http.publicUrl,
  });

  logDatabaseProblem = (error) => http.log.warn({ err: error }, 'database connection lost; reconnecting on next use');

  // The Redis, S3 and SMTP adapters are imported only when configured: their libraries (ioredis,
  // the S3 SDK, nodemailer) take most of a second to load, for nothing on the embedded defaults.
  const logHandlerError = (error: unknown, channel: string) => http.log.error({ err: error, channel }, 'bus handler failed');
  let cache: Cache;
  let bus: Bus;
  if (config.redisUrl) {
    const [{ createRedis }, { RedisCache }, { RedisBus }] = await Promise.all([
      import('./platform/redis.js'),
      import('./platform/cache/redis-cache.js'),
      import('./platform/bus/redis-bus.js'),
    ]);
    // one client for commands, and a pair for pub/sub (a subscribed connection can do nothing else)
    const redisClient = (role: string) => {
      const client = createRedis(config.redisUrl!);
      client.on('error', (error) => http.log.warn({ err: error, redis: role }, 'redis connection problem'));
      return client;
    };
    cache = new RedisCache(redisClient('cache'), config.redisPrefix);
    bus = new RedisBus(redisClient('publisher'), redisClient('subscriber'), config.redisPrefix, logHandlerError);
  } else {
    cache = new MemoryCache();
    bus = new MemoryBus(logHandlerError);
  }
  const storage: Storage =
    config.storage.kind === 's3' ? new (await import('./platform/storage/s3-storage.js')).S3Storage(config.storage) : new LocalStorage(config.storage.dir);
  const outbox = config.mail.kind === 'outbox' ? new OutboxMailer(db, (line) => http.log.info(line)) : undefined;
  const mailer: Mailer = outbox ?? new (await import('./platform/mail/smtp-mailer.js')).SmtpMailer((config.mail as { url: string }).url, config.mailFrom);
  // text messages: kept in an outbox (/dev/messages) unless MESSAGING_URL names an HTTP provider (docs/messaging.md)
  const messagingProvider = config.messaging.provider;
  const messageOutbox = messagingProvider.kind === 'outbox' ? new OutboxMessenger(db, (line) => http.log.info(line)) : undefined;
  const messenger: Messenger =
    messagingProvider.kind === 'http' ? new (await import('./platform/messaging/http-sms-messenger.js')).HttpSmsMessenger(messagingProvider) : messageOutbox!;

  const secret = await tokenSecret(config, db);
  const passwords = new PasswordHasher(config.auth.argon2);
  const auth = new AuthService(
    new AuthRepository(db),
    new AccessTokens(secret, config.auth.accessTokenTtlSeconds),
    passwords,
    cache,
    config.auth.refreshTokenTtlSeconds,
    config.limits,
    bus,
    (error) => http.log.warn({ err: error }, 'session revocations: bus unreachable'),
  );
  auth.listenForRevocations(); // in the background: sessions are remembered in memory once subscribed
  const codes = new EmailCodesService(db, cache, mailer, deriveKey(secret, 'email-codes'), config.limits);
  const brands = new BrandsService(db);
  const deviceAuth = new DeviceAuthenticator(new AuthRepository(db), cache, {
    failuresPerKioskPerMinute: config.devices.authFailuresPerKioskPerMinute,
    failuresPerPeerPerMinute: config.devices.authFailuresPerPeerPerMinute,
  });
  const kioskRemoved = async (removed: { kioskId: string; storeId: string }) => {
    const kioskId = removed.kioskId.toLowerCase();
    deviceAuth.forgetKiosk(kioskId); // here at once; other instances (and open device streams) through the bus
    await bus.publish(KIOSK_REMOVED_CHANNEL, { storeId: removed.storeId.toLowerCase(), kioskId });
  };
  // the kiosk list's printer and terminal states come from the devices module, made further down
  const kiosks = new KiosksService(db, auth, kioskRemoved, (kioskId) => devices.peripheralsOf(kioskId));
  const catalog = new CatalogService(db, storage);
  const speechEngine = config.speech.engine;
  const synthesizer: SpeechSynthesizer =
    speechEngine.kind === 'google'
      ? new GoogleSpeechSynthesizer({ ...speechEngine, timeoutMs: config.speech.timeoutMs })
      : new EspeakSynthesizer({ ...speechEngine, timeoutMs: config.speech.timeoutMs });
  const speech = new SpeechService(db, cache, storage, synthesizer, config.speech, http.log.child({ module: 'speech' }));
  const accounts = new AccountsService(db, cache, passwords, codes, auth, config.limits.passwordResetsPerEmailPerHour, kioskRemoved);
  // the POS's live orders (and staff calls) keep their replay log like the kiosk's screen (same LIVE_REPLAY_* settings)
  // an order placed while Redis is away still reaches the POS, late, once it is back
  const liveOrders = new ReplayableEvents<StoreLiveEvent>('orders-live', cache, bus, { ...config.kioskLive, deliverLateForSeconds: 120 }, (error) =>
    http.log.warn({ err: error }, 'live orders log unavailable'),
  );
  // card and mobile payments at the kiosk add their starters here (they need `orders` themselves)
  const paymentStarters: KioskPaymentStarters = {};
  const orders = new OrdersService(db, liveOrders, paymentStarters, { pendingPaymentMinutes: config.payments.pendingPaymentMinutes });
  const payments = new PaymentsService(db, orders);
  const sales = new SalesService(db, cache);
  const consultations = new ConsultationsService(db, bus, new Video(config.consultations), config.consultations, (error, task) =>
    http.log.error({ err: error, task }, 'consultations task failed'),
  );
  const customerKeys = new CustomerDataKeys(await customerDataKey(config, db));
  const faceIndexes = new FaceIndexes(db, bus, customerKeys, {
    embeddingVersion: EMBEDDING_VERSION,
    onError: (error, context) => http.log.error({ err: error, ...context }, 'customers task failed'),
    onOtherVersion: (context) => http.log.warn(context, 'faces of another model skipped: those members re-enrol (docs/faces.md, "Engine versions")'),
  });
  const customers = new CustomersService(db, cache, customerKeys, faceIndexes, {
    matchThreshold: config.customers.faceMatchThreshold,
    matchMargin: config.customers.faceMatchMargin,
    templatesPerMember: config.customers.faceTemplatesPerMember,
    templateNoveltyBelow: config.customers.faceTemplateNoveltyBelow,
    embeddingVersion: EMBEDDING_VERSION,
    retentionDays: config.customers.faceRetentionDays,
    analysisTtlSeconds: config.customers.analysisTtlSeconds,
    phoneAttemptsPerKioskPerMinute: config.customers.phoneAttemptsPerKioskPerMinute,
  });
  // a face match greets nobody until the customer keys in their phone's last 4 digits
  const memberConfirmations = new MemberConfirmations(
    db,
    cache,
    customerKeys,
    config.customers.confirmation,
    (storeId, customerId) => orders.recommendationsFor(storeId, customerId),
    http.log.child({ module: 'customers' }),
  );
  // a visit the member confirmed is kept as another face of theirs when it differs from those kept
  memberConfirmations.onMemberConfirmed(async (event) => {
    await customers.addConfirmedFace(event);
  });
  // "your order is ready" to members who consented: stored with the status change, sent after it
  const notifications = new NotificationsService(db, messenger, customerKeys, config.messaging, http.log.child({ module: 'notifications' }));
  orders.onReady((storeId, orderId) => notifications.orderReady(storeId, orderId));
  const faces = createFacePool({
    size: config.face.workers,
    timeoutMs: config.face.analysisTimeoutMs,
    minFaceSize: config.face.minFacePx,
    minIdentityFaceSize: config.face.minIdentityFacePx,
    minFrameAgreement: config.face.minFrameAgreement,
    minScore: config.face.minScore,
    maxPixels: config.face.maxPixels,
    maxBytes: config.devices.maxFrameBytes,
    maxFrames: config.devices.maxFramesPerBatch,
  });
  // a screen told "someone is here" a few seconds late (Redis restarting), in order, is still right;
  // half a minute later the visit has moved on
  const kioskLive = new KioskLiveService(cache, bus, { ...config.kioskLive, deliverLateForSeconds: 30 }, (error) =>
    http.log.warn({ err: error }, 'kiosk live log unavailable'),
  );
  const deviceLog = http.log.child({ module: 'devices' });
  const devices = new DevicesService({
    db,
    cache,
    bus,
    live: kioskLive,
    authenticator: deviceAuth,
    analyzer: faces,
    recognition: customers,
    confirmations: memberConfirmations,
    limits: config.devices,
    seniorAgeThreshold: config.kioskLive.seniorAgeThreshold,
    seniorAgeMargin: config.kioskLive.seniorAgeMargin,
    log: deviceLog,
  });
  // the POS's kiosk list follows its kiosks' printers and card terminals on the store's live stream
  devices.onPeripheralsChanged(async ({ storeId, ...peripherals }) => {
    await liveOrders.publish(storeId.toLowerCase(), { type: 'kiosk.peripherals', peripherals });
  });
  // the digital receipt's link and the paper receipt on the kiosk's printer; the agents' ReportPrint comes back to it
  const receipts = new ReceiptsService(db, cache, devices, kioskLive, await receiptTokenKey(db), { ...config.receipts, publicUrl: config.http.publicUrl });
  devices.handlePrintReports(receipts);
  // card payment at the kiosk: the order's charge goes to the kiosk's agent, its reports decide (docs/payments.md)
  const kioskCharges = new KioskChargesService({
    db,
    devices,
    orders,
    live: kioskLive,
    receipts,
    cardTimeoutMs: config.devices.cardTimeoutMs,
    log: http.log.child({ module: 'payments' }),
  });
  paymentStarters.card = kioskCharges;
  devices.handlePaymentReports(kioskCharges);
  orders.onRefund((refund) => kioskCharges.refundOnTerminal(refund));
  orders.onPendingEnded((ended) => kioskCharges.voidCharges(ended));
  devices.onDeviceConnected((kioskId) => kioskCharges.resendUnanswered(kioskId));
  // mobile / QR payment: the customer's phone pays through the gateway, the fake one unless PAYMENT_GATEWAY=toss
  const gatewayConfig = config.paymentGateway;
  const paymentGateway: PaymentGateway = gatewayConfig.kind === 'toss' ? new TossPaymentsGateway(gatewayConfig) : new FakePaymentGateway();
  const mobilePayments = new MobilePaymentsService(db, orders, paymentGateway, kioskLive, {
    publicUrl: config.http.publicUrl,
    log: http.log.child({ module: 'payments' }),
  });
  mobilePayments.useReceipts(receipts);
  paymentStarters.mobile = mobilePayments;
  orders.onRefund((refund) => mobilePayments.refund(refund));
  orders.onPendingEnded((ended) => mobilePayments.pendingEnded(ended));
  // Redis may be unreachable at start: serve anyway (devices connected here still work) and keep
  // trying, so commands and settings between instances resume once the bus is back
  const startDevices = (): Promise<void> =>
    devices.start().catch((error: unknown) => {
      deviceLog.warn({ err: error }, 'device bus subscriptions failed; retrying in 5 s');
      setTimeout(() => void startDevices(), 5_000).unref();
    });
  await startDevices();
  // a megabyte over a batch, so that a batch just over the limit gets the clear batch_too_large
  const deviceGrpc = new DeviceGrpcServer(
    devices,
    deviceAuth,
    { ...config.devices.grpc, maxReceiveBytes: config.devices.maxBatchBytes + 1_048_576 },
    deviceLog,
  );
  // the gateway's records are compared when it keeps them (docs/payments.md#reconciliation)
  // (the fake gateway keeps its records in one process's memory only: nothing to compare)
  const reconciliation = new ReconciliationService(db, paymentGateway.name === 'toss' ? paymentGateway : undefined);
  const scheduler = new Scheduler(cache, (job, error) => http.log.error({ err: error, job }, 'scheduled job failed'));

  let shuttingDown = false;
  await http.register(accessPolicy, { auth, guardedPrefixes: ['/api/'] });
  await http.register(systemRoutes, {
    db,
    cache,
    storage,
    outbox: config.devPages ? outbox : undefined,
    messages: config.devPages ? messageOutbox : undefined,
    isShuttingDown: () => shuttingDown,
  });
  await http.register(authRoutes, { auth });
  await http.register(emailCodesRoutes, { codes });
  await http.register(accountsRoutes, { accounts, brands, kiosks, cache });
  await http.register(kiosksRoutes, { kiosks });
  await http.register(catalogRoutes, { catalog });
  await http.register(filesRoutes, { files: new FilesService(storage) });
  await http.register(ordersRoutes, { orders });
  await http.register(paymentsRoutes, { payments, orders });
  await http.register(kitchenRoutes, { kitchen: new KitchenService(db, orders), keepAliveSeconds: config.kioskLive.keepAliveSeconds });
  await http.register(salesRoutes, { sales });
  await http.register(reconciliationRoutes, { reconciliation });
  await http.register(speechRoutes, { speech });
  await http.register(staffCallsRoutes, { staffCalls: new StaffCallsService(db, liveOrders, kioskLive) });
  await http.register(consultationsRoutes, { consultations });
  await http.register(customersRoutes, { customers });
  await http.register(memberConfirmationsRoutes, { confirmations: memberConfirmations });
  await http.register(devicesRoutes, { devices });
  await http.register(kioskChargesRoutes, { charges: kioskCharges });
  await http.register(mobilePaymentsRoutes, { mobilePayments });
  await http.register(receiptsRoutes, { receipts });
  await http.register(kioskLiveRoutes, { live: kioskLive, keepAliveSeconds: config.kioskLive.keepAliveSeconds });
  await http.register(consultationsSocket, { consultations, auth });
  await serveWebApp(http);

  return {
    config,
    http,
    database,
    cache,
    bus,
    storage,
    mailer,
    services: {
      auth,
      accounts,
      brands,
      kiosks,
      codes,
      orders,
      payments,
      sales,
      catalog,
      passwords,
      consultations,
      customers,
      memberConfirmations,
      devices,
      kioskLive,
      notifications,
      reconciliation,
      receipts,
      mobilePayments,
    },
    faces,
    speech: synthesizer,
    get deviceAddress() {
      return deviceGrpc.address;
    },
    scheduler,
    async listen() {
      const address = await http.listen({ host: config.http.host, port: config.http.port });
      await deviceGrpc.listen();
      scheduler.start([
        {
          // the aggregates are written with every order; this nightly pass only proves and mends them
          name: 'sales-reconcile',
          everySeconds: 86_400,
          run: async () => {
            const today = new Date().toISOString().slice(0, 10);
            await sales.rebuildDays(addDays(today, -2), addDays(today, -1));
          },
        },
        // each store's previous business day, shortly after its midnight (docs/payments.md#reconciliation)
        dailyReconciliationJob(reconciliation, (reconciled) => http.log.info({ reconciled }, 'business days reconciled')),
        {
          // faces unused for FACE_RETENTION_DAYS are deleted (docs/customers.md)
          name: 'face-retention',
          everySeconds: 86_400,
          run: async () => {
            const forgotten = await customers.forgetUnusedFaces();
            if (forgotten > 0) http.log.info({ forgotten }, 'faces past retention deleted');
          },
        },
        {
          // ready messages the provider failed: again, with exponential back-off (docs/messaging.md)
          name: 'ready-notifications-retry',
          everySeconds: config.messaging.retryCheckSeconds,
          run: async () => {
            await notifications.retryDue();
          },
        },
        {
          // unpaid and pending orders past their pay-by time are cancelled, their stock back (docs/payments.md)
          name: 'payment-expiry',
          everySeconds: config.payments.expiryCheckSeconds,
          run: async () => {
            const expired = await payments.expireDue();
            if (expired > 0) http.log.info({ expired }, 'unpaid orders expired');
          },
        },
      ]);
      return address;
    },
    startDraining() {
      shuttingDown = true;
    },
    async close() {
      shuttingDown = true;
      // every step runs even when one before it fails, so nothing is left open
      const steps: Array<[string, () => Promise<unknown>]> = [
        ['scheduler', () => scheduler.stop()],
        ['notifications', () => notifications.close()], // the sends under way
        ['messaging', () => messenger.close()],
        ['devices', () => devices.stop()], // ends the devices' command streams and presence timers
        ['auth', () => auth.stopListening()], // the session-revocation subscription
        ['device gRPC', () => deviceGrpc.close()],
        ['http', () => http.close()],
        ['face workers', () => faces.close()],
        ['speech engine', () => synthesizer.close()],
        ['mail', () => mailer.close()],
        ['bus', () => bus.close()],
        ['cache', () => cache.close()], // the cache and the bus close their Redis connections
        ['database', () => database.close()],
      ];
      const failures: unknown[] = [];
      for (const [name, step] of steps) {
        await step().catch((error: unknown) => {
          http.log.error({ err: error }, `closing ${name} failed`);
          failures.push(error);
        });
      }
      if (failures.length > 0) throw new AggregateError(failures, 'some parts did not close cleanly');
    },
  };
}

/** the built web app (web/dist), with every unknown page path answered by index.html */
async function serveWebApp(http: HttpServer): Promise<void> {
  if (!fs.existsSync(path.join(webDist, 'index.html'))) {
    http.log.warn(`no web app at ${webDist}: run "npm run build -w web"`);
    return;
  }
  await http.register(fastifyStatic, { root: webDist.endsWith('/') ? webDist : `${webDist}/`, prefix: '/', wildcard: false, index: ['index.html'] });
  const pages = ['/login', '/signup', '/reset-password', '/kiosk', '/pos', '/counselor', '/kitchen', '/pickup', '/receipt', '/pay'];
  for (const page of pages) {
    http.get(`${page}`, { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
    http.get(`${page}/*`, { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
  }
}

/** the configured secret, or one generated on first start and shared through the database */
async function tokenSecret(config: Config, db: Database): Promise<Buffer> {
  if (config.auth.tokenSecret) return Buffer.from(config.auth.tokenSecret, 'utf8');
  return Buffer.from(await serverSecret(db, 'access-token', () => randomBytes(32).toString('hex')), 'hex');
}

/** the configured customer data key, or one generated on first start and shared through the database */
async function customerDataKey(config: Config, db: Database): Promise<Buffer> {
  if (config.customers.dataKey) return config.customers.dataKey;
  return Buffer.from(await serverSecret(db, 'customer-data-key', () => randomBytes(32).toString('base64')), 'base64');
}

/** the key receipt links are derived under: generated on first start and shared through the database */
async function receiptTokenKey(db: Database): Promise<Buffer> {
  return Buffer.from(await serverSecret(db, 'receipt-token-key', () => randomBytes(32).toString('base64')), 'base64');
}

function deriveKey(secret: Buffer, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`pinokio:${purpose}`).digest();
}
