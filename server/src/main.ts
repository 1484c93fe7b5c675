#!/usr/bin/env node
// The `pinokio` command: serve | migrate | seed-demo | create-brand | rebuild-sales | reconcile.
import { parseArgs } from 'node:util';
import { createApp, type App } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { BrandsService } from './modules/brands/brands.service.js';
import { formatDemoAccounts, isEmpty, seedDemo } from './modules/demo/demo-seed.js';
import { DataDirInUseError, openDatabase } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { DomainError } from './platform/http/errors.js';
import { MemoryCache } from './platform/cache/memory-cache.js';
import { SalesService } from './modules/sales/sales.service.js';
import { ReconciliationService } from './modules/reconciliation/reconciliation.service.js';
import { TossPaymentsGateway } from './platform/payment-gateway/toss-payments-gateway.js';

const usage = `Usage: pinokio <command>

Commands:
  serve                          start the server (migrates, and seeds demo data on an empty database)
  migrate                        bring the database schema up to date
  seed-demo                      add the demo brands, stores, kiosks and counselors
  create-brand <name> [--code C] add a brand; stores and counselors sign up with its code
  rebuild-sales                  recompute every store's sales figures from its orders
  reconcile [--date YYYY-MM-DD] [--store ID]
                                 match the card and mobile charges against the orders of a business
                                 day (by default each store's previous day) and list the mismatches

Configuration comes from environment variables: see docs/configuration.md.`;

async function serve(config: Config): Promise<void> {
  const startedAt = performance.now();
  const app = await createApp(config);
  if (config.seedDemo === 'auto' && (await isEmpty(app.database.db))) {
    // under a database lock: of several instances started together, one seeds and the others add nothing
    const accounts = await seedDemo(demoDeps(app));
    if (accounts.length > 0) console.log(formatDemoAccounts(accounts));
  }
  const address = await app.listen();
  app.http.log.info({ address, readyInMs: Math.round(performance.now() - startedAt) }, `Pinokio is ready at ${config.http.publicUrl}`);
  let stopping = false;
  let endDrain = () => {};
  const stop = async (signal: string) => {
    if (stopping) return endDrain(); // a second signal: stop waiting
    stopping = true;
    // SIGTERM comes from an orchestrator: first /readyz turns 503 and requests are still served for
    // DRAIN_DELAY_SECONDS, until the balancers have seen it; SIGINT is a person at a terminal: no wait
    const drainMs = signal === 'SIGTERM' ? config.http.drainDelaySeconds * 1000 : 0;
    app.startDraining();
    app.http.log.info({ drainMs }, `${signal}: not ready any more; draining, then finishing requests under way and stopping`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, drainMs);
      endDrain = () => (clearTimeout(timer), resolve());
    });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function demoDeps(app: App) {
  const { catalog, passwords, customers } = app.services;
  return { db: app.database.db, passwords, catalog, customers, log: (line: string) => console.log(line) };
}

async function withDatabase<T>(config: Config, work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const handle = await openDatabase(config.databaseUrl, config.dataDir);
  try {
    await migrateToLatest(handle.db);
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      const applied = await withDatabase(config, async () => 'done');
      console.log(`migrations: ${applied}`);
      return;
    }
    case 'seed-demo': {
      const app = await createApp(config);
      try {
        const accounts = await seedDemo(demoDeps(app));
        console.log(accounts.length ? formatDemoAccounts(accounts) : 'The demo brands are already there.');
      } finally {
        await app.close();
      }
      return;
    }
    case 'create-brand': {
      const { values, positionals } = parseArgs({ args: rest, options: { code: { type: 'string' } }, allowPositionals: true });
      const name = positionals.join(' ');
      if (!name) throw new UsageError('create-brand needs a name: pinokio create-brand "하늘커피" [--code HANEUL]');
      const brand = await withDatabase(config, (db) => new BrandsService(db).create(name, values.code));
      console.log(`Brand "${brand.name}" created. Its sign-up code is ${brand.code}.`);
      return;
    }
    case 'rebuild-sales': {
      const stores = await withDatabase(config, async (db) => {
        const sales = new SalesService(db, new MemoryCache());
        return sales.rebuildAll((done, total) => drawProgress('rebuilding sales', done, total));
      });
      process.stderr.write('\n');
      console.log(`Sales figures rebuilt from the orders of ${stores} stores.`);
      return;
    }
    case 'reconcile': {
      const { values } = parseArgs({ args: rest, options: { date: { type: 'string' }, store: { type: 'string' } } });
      if (values.date !== undefined && !isCalendarDay(values.date)) throw new UsageError(`--date takes a day as YYYY-MM-DD, not "${values.date}"`);
      if (values.store !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(values.store)) {
        throw new UsageError(`--store takes a store's id (a UUID), not "${values.store}"`);
      }
      // the embedded fake gateway keeps its records in the server's memory: only a real gateway's are read here
      const gateway = config.paymentGateway.kind === 'toss' ? new TossPaymentsGateway(config.paymentGateway) : undefined;
      const results = await withDatabase(config, (db) => new ReconciliationService(db, gateway).reconcileStores({ date: values.date, storeId: values.store }));
      for (const { storeName, run } of results) {
        console.log(`${storeName} ${run.date}: ${run.ordersChecked} orders checked, ${run.mismatchCount} mismatches`);
        for (const mismatch of run.mismatches) console.log(`  ${mismatch.kind}: ${mismatch.detail}`);
      }
      if (results.length === 0) console.log('No open stores to reconcile.');
      return;
    }
    default:
      console.log(usage);
      if (command && command !== 'help' && command !== '--help') process.exitCode = 2;
  }
}

class UsageError extends Error {}

function isCalendarDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(Date.parse(`${text}T00:00:00Z`) || 0).toISOString().startsWith(text);
}

function drawProgress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsageError) {
    console.error(`pinokio: ${error.message}`);
    process.exit(2);
  }
  if (error instanceof DomainError || error instanceof DataDirInUseError) {
    console.error(`pinokio: ${error.message}`);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});
