// Demo data for a first start: coffee-chain brands, their stores with owners, kiosks and a menu
// with pictures, a year of orders, a few members and past consultations, and counselors; each
// brand's first store also has a kitchen screen and a pickup board. Every demo account shares one
// password (the kiosks and screens one secret); the accounts are printed at start.
import { sql } from 'kysely';
import sharp from 'sharp';
import type { Database } from '../../platform/db/database.js';
import { addDays, localDate } from '../../platform/time/local-date.js';
import { AccountsRepository } from '../accounts/accounts.repository.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import { sha256 } from '../auth/secrets.js';
import { BrandsRepository } from '../brands/brands.repository.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { CustomersService } from '../customers/customers.service.js';
import { KiosksRepository } from '../kiosks/kiosks.repository.js';
import { registrationCheckDigit } from '../payments/payments.service.js';
import { SalesRepository } from '../sales/sales.repository.js';
import { demoFacts, demoMenus, demoPictureSvg } from './demo-menu.js';
import { seedOrderHistory } from './demo-orders.js';

export const DEMO_PASSWORD = 'pinokio1234';
export const DEMO_KIOSK_SECRET = 'pinokio-demo-kiosk-secret';
const DEMO_TIME_ZONE = 'Asia/Seoul';
const HISTORY_DAYS = 365;

const demoBrands = [
  { name: '하늘커피', code: 'HANEUL', slug: 'haneul', stores: ['강남점', '홍대점'] },
  { name: '별빛다방', code: 'BYEOL', slug: 'byeol', stores: ['종로점', '부산서면점'] },
  { name: '초록빈', code: 'CHOROK', slug: 'chorok', stores: ['판교점', '대전둔산점'] },
];
const KIOSKS_PER_STORE = 2;
const COUNSELORS_PER_BRAND = 3;
/**
 * The advisory lock under which demo brands are added (any constant shared by every instance):
 * instances started together on an empty database take turns, and only the first finds the brands
 * missing; the others add nothing.
 */
const DEMO_SEED_LOCK = 7_301_946_205;

export interface DemoAccount {
  role: 'owner' | 'counselor' | 'kiosk' | 'kitchen' | 'pickup';
  brand: string;
  store: string | null;
  login: string;
  password: string;
}

export interface DemoDeps {
  db: Database;
  passwords: PasswordHasher;
  catalog: CatalogService;
  /** registers the demo members as a kiosk does (their faces held, then phone and consent); none without it */
  customers?: CustomersService;
  /** progress lines for the console */
  log?: (line: string) => void;
}

/** true when the database holds no brand yet (a fresh install) */
export async function isEmpty(db: Database): Promise<boolean> {
  return (await new BrandsRepository(db).list()).length === 0;
}

/**
 * Adds the demo brands that are missing, with their stores, menus and a year of orders; returns
 * the accounts it made (none when another instance or an earlier run already added them).
 */
export async function seedDemo(deps: DemoDeps): Promise<DemoAccount[]> {
  const log = deps.log ?? (() => {});
  const startedAt = performance.now();
  const { accounts, stores } = await seedPeople(deps);
  if (stores.length === 0) return accounts;
  const pictures = new Map<string, Promise<Buffer>>();
  const to = localDate(DEMO_TIME_ZONE);
  const from = addDays(to, -(HISTORY_DAYS - 1));
  const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
  // the stores side by side: while one waits on the database, another's pictures are encoded
  await Promise.all(
    stores.map(async (store, index) => {
      const menuStartedAt = performance.now();
      await seedMenu(deps.catalog, store.id, store.brandCode, pictures);
      const menuSeconds = seconds(menuStartedAt);
      const ordersStartedAt = performance.now();
      // the orders and the figures made from them land together
      const orders = await deps.db.transaction().execute(async (trx) => {
        const written = await seedOrderHistory(trx, store.id, store.kioskId, from, to, DEMO_TIME_ZONE);
        await new SalesRepository(trx).rebuildStore(store.id);
        return written;
      });
      if (deps.customers) await seedMembers(deps.customers, store, index);
      await seedConsultations(deps.db, store);
      log(
        `demo data: store ${index + 1} of ${stores.length} (${store.name}): menu ${menuSeconds} s, a year of orders (${orders}) ${seconds(ordersStartedAt)} s`,
      );
    }),
  );
  log(`demo data: ready in ${seconds(startedAt)} s`);
  return accounts;
}

async function seedPeople(deps: DemoDeps) {
  const passwordHash = await deps.passwords.hash(DEMO_PASSWORD);
  const kioskSecretHash = sha256(DEMO_KIOSK_SECRET);
  return deps.db.transaction().execute(async (trx) => {
    // held until this transaction commits, so the next instance sees these brands and skips them
    await sql`select pg_advisory_xact_lock(${sql.lit(DEMO_SEED_LOCK)})`.execute(trx);
    const brandsRepository = new BrandsRepository(trx);
    const accountsRepository = new AccountsRepository(trx);
    const kiosks = new KiosksRepository(trx);
    const accounts: DemoAccount[] = [];
    const stores: DemoStore[] = [];
    for (const demo of demoBrands) {
      if (await brandsRepository.findByCode(demo.code)) continue;
      const brand = await brandsRepository.insert(demo.name, demo.code);
      for (const [storeIndex, storeName] of demo.stores.entries()) {
        const fullName = `${demo.name} ${storeName}`;
        const storeId = await accountsRepository.insertStore(brand.id, fullName);
        // what its receipts print (docs/payments.md "Receipts"); the registration numbers are made up, with a valid check digit
        await trx
          .updateTable('stores')
          .set({
            business_name: fullName,
            business_registration_number: demoRegistrationNumber(220_810_000 + stores.length * 37),
            business_address: `서울특별시 강남구 테헤란로 ${100 + stores.length}`,
            business_phone: `02-555-${String(1000 + stores.length).padStart(4, '0')}`,
          })
          .where('id', '=', storeId)
          .execute();
        const email = `owner${storeIndex + 1}@${demo.slug}.demo`;
        await accountsRepository.insertAccount({ role: 'owner', email, passwordHash, displayName: `${storeName} 점주`, brandId: brand.id, storeId });
        accounts.push({ role: 'owner', brand: demo.name, store: storeName, login: email, password: DEMO_PASSWORD });
        let firstKioskId = '';
        for (let k = 1; k <= KIOSKS_PER_STORE; k++) {
          const loginId = `demo-${demo.slug}-${storeIndex + 1}-${k}`;
          const kiosk = await kiosks.insert(storeId, `키오스크 ${k}`, loginId, kioskSecretHash);
          firstKioskId ||= kiosk.id;
          accounts.push({ role: 'kiosk', brand: demo.name, store: storeName, login: loginId, password: DEMO_KIOSK_SECRET });
        }
        // the brand's first store is ready to open with a kitchen screen and a pickup board
        if (storeIndex === 0) {
          for (const screen of [
            { kind: 'kitchen', name: '주방 화면' },
            { kind: 'pickup', name: '픽업 안내판' },
          ] as const) {
            const loginId = `demo-${demo.slug}-${storeIndex + 1}-${screen.kind}`;
            await kiosks.insert(storeId, screen.name, loginId, kioskSecretHash, screen.kind);
            accounts.push({ role: screen.kind, brand: demo.name, store: storeName, login: loginId, password: DEMO_KIOSK_SECRET });
          }
        }
        stores.push({ id: storeId, name: fullName, brandId: brand.id, brandCode: demo.code, kioskId: firstKioskId, counselorIds: [] });
      }
      const brandStores = stores.filter((store) => store.brandId === brand.id);
      for (let c = 1; c <= COUNSELORS_PER_BRAND; c++) {
        const email = `counselor${c}@${demo.slug}.demo`;
        const counselorId = await accountsRepository.insertAccount({
          role: 'counselor',
          email,
          passwordHash,
          displayName: `상담원 ${c}`,
          brandId: brand.id,
          storeId: null,
        });
        for (const store of brandStores) store.counselorIds.push(counselorId);
        accounts.push({ role: 'counselor', brand: demo.name, store: null, login: email, password: DEMO_PASSWORD });
      }
    }
    return { accounts, stores };
  });
}

interface DemoStore {
  id: string;
  name: string;
  brandId: string;
  brandCode: string;
  kioskId: string;
  counselorIds: string[];
}

const demoMembers = ['김영자', '박정호', '이순자'];

/** a face embedding as the face service would give one: 128 numbers of unit length, the same for the same seed */
function demoFace(seed: number): Float32Array {
  const face = Float32Array.from({ length: 128 }, (_, index) => (Math.sin(seed * 97.13 + index * 12.9898) * 43758.5453) % 1);
  const norm = Math.hypot(...face);
  return face.map((value) => value / norm);
}

/** a few members who registered at the store's kiosk, with consent, as a customer does it */
async function seedMembers(customers: CustomersService, store: DemoStore, storeIndex: number): Promise<void> {
  for (const [index, name] of demoMembers.entries()) {
    const analysisId = await customers.holdAnalysis({
      kioskId: store.kioskId,
      storeId: store.id,
      embedding: demoFace(storeIndex * 10 + index + 1),
      age: 68 + index * 3,
      gender: null,
    });
    await customers.register(store.id, store.kioskId, {
      analysisId,
      phone: `010-${5100 + storeIndex}-${String(1001 + index).padStart(4, '0')}`,
      name,
      consent: { accepted: true, version: 'kiosk-face-2025-01' },
    });
  }
}

/** past video consultations at the store's first kiosk, taken by the brand's counselors over the last week */
async function seedConsultations(db: Database, store: DemoStore): Promise<void> {
  const today = localDate(DEMO_TIME_ZONE);
  const visits = [
    { daysAgo: 1, at: '10:15', minutes: 6 },
    { daysAgo: 2, at: '14:40', minutes: 4 },
    { daysAgo: 4, at: '09:05', minutes: 9 },
    { daysAgo: 6, at: '16:30', minutes: 3 },
  ];
  await db.transaction().execute(async (trx) => {
    for (const [index, visit] of visits.entries()) {
      const day = addDays(today, -visit.daysAgo);
      // the demo's zone is Asia/Seoul: UTC+9 all year
      const startedAt = new Date(`${day}T${visit.at}:00+09:00`);
      const endedAt = new Date(startedAt.getTime() + visit.minutes * 60_000);
      const request = await trx
        .insertInto('consultation_requests')
        .values({
          kiosk_id: store.kioskId,
          store_id: store.id,
          brand_id: store.brandId,
          status: 'accepted',
          created_at: startedAt,
          expires_at: endedAt,
          decided_at: startedAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const consultation = await trx
        .insertInto('consultations')
        .values({
          request_id: request.id,
          kiosk_id: store.kioskId,
          store_id: store.id,
          brand_id: store.brandId,
          counselor_id: store.counselorIds[index % store.counselorIds.length]!,
          local_date: day,
          started_at: startedAt,
          ended_at: endedAt,
          ended_by: 'counselor',
          outcome: 'completed',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.updateTable('consultation_requests').set({ consultation_id: consultation.id }).where('id', '=', request.id).execute();
    }
  });
}

/** the brand's menu in one store, through the catalog's own rules, pictures included */
async function seedMenu(catalog: CatalogService, storeId: string, brandCode: string, pictures: Map<string, Promise<Buffer>>): Promise<void> {
  for (const category of demoMenus[brandCode] ?? []) {
    const created = await catalog.createCategory(storeId, category.name);
    const isFood = ['베이커리', '디저트'].includes(category.name);
    for (const item of category.items) {
      const view = await catalog.createItem(storeId, {
        categoryId: created.id,
        name: item.name,
        description: item.description,
        price: item.price,
        stock: item.stock ?? null,
        optionGroups: item.options,
        ...demoFacts[item.name],
      });
      const pictureKey = `${brandCode}:${item.name}`;
      // drawn once per brand, however many of its stores are being seeded at the same time
      let picture = pictures.get(pictureKey);
      if (!picture) {
        picture = sharp(Buffer.from(demoPictureSvg(item.name, category.color, isFood)))
          .png()
          .toBuffer();
        pictures.set(pictureKey, picture);
      }
      await catalog.setItemPhoto(storeId, view.id, await picture);
    }
  }
}

export function formatDemoAccounts(accounts: DemoAccount[]): string {
  const lines = accounts.map((a) => `${`  ${a.role.padEnd(9)} ${a.brand} ${a.store ?? ''}`.padEnd(34)}  ${a.login}  /  ${a.password}`);
  return ['Demo accounts (role, brand, store, login / password):', ...lines].join('\n');
}

/** a made-up registration number: 9 digits and their check digit */
function demoRegistrationNumber(first9: number): string {
  const digits = String(first9).padStart(9, '0').slice(0, 9);
  return `${digits}${registrationCheckDigit(digits)}`;
}
