// Demo data for a first start: coffee-chain brands, their stores with owners and kiosks, and
// counselors. Every demo account shares one password; it is printed at start.
import type { Database } from '../../platform/db/database.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import { sha256 } from '../auth/secrets.js';
import { AccountsRepository } from '../accounts/accounts.repository.js';
import { BrandsRepository } from '../brands/brands.repository.js';
import { KiosksRepository } from '../kiosks/kiosks.repository.js';

export const DEMO_PASSWORD = 'pinokio1234';
export const DEMO_KIOSK_SECRET = 'pinokio-demo-kiosk-secret';

const demoBrands = [
  { name: '하늘커피', code: 'HANEUL', slug: 'haneul', stores: ['강남점', '홍대점'] },
  { name: '별빛다방', code: 'BYEOL', slug: 'byeol', stores: ['종로점', '부산서면점'] },
  { name: '초록빈', code: 'CHOROK', slug: 'chorok', stores: ['판교점', '대전둔산점'] },
];
const KIOSKS_PER_STORE = 2;
const COUNSELORS_PER_BRAND = 3;

export interface DemoAccount {
  role: 'owner' | 'counselor' | 'kiosk';
  brand: string;
  store: string | null;
  login: string;
  password: string;
}

/** true when the database holds no brand yet (a fresh install) */
export async function isEmpty(db: Database): Promise<boolean> {
  return (await new BrandsRepository(db).list()).length === 0;
}

export async function seedDemo(db: Database, passwords: PasswordHasher): Promise<DemoAccount[]> {
  const passwordHash = await passwords.hash(DEMO_PASSWORD);
  const kioskSecretHash = sha256(DEMO_KIOSK_SECRET);
  return db.transaction().execute(async (trx) => {
    const brandsRepository = new BrandsRepository(trx);
    const accounts = new AccountsRepository(trx);
    const kiosks = new KiosksRepository(trx);
    const created: DemoAccount[] = [];
    for (const demo of demoBrands) {
      if (await brandsRepository.findByCode(demo.code)) continue;
      const brand = await brandsRepository.insert(demo.name, demo.code);
      for (const [storeIndex, storeName] of demo.stores.entries()) {
        const storeId = await accounts.insertStore(brand.id, `${demo.name} ${storeName}`);
        const email = `owner${storeIndex + 1}@${demo.slug}.demo`;
        await accounts.insertAccount({ role: 'owner', email, passwordHash, displayName: `${storeName} 점주`, brandId: brand.id, storeId });
        created.push({ role: 'owner', brand: demo.name, store: storeName, login: email, password: DEMO_PASSWORD });
        for (let k = 1; k <= KIOSKS_PER_STORE; k++) {
          const loginId = `demo-${demo.slug}-${storeIndex + 1}-${k}`;
          await kiosks.insert(storeId, `키오스크 ${k}`, loginId, kioskSecretHash);
          created.push({ role: 'kiosk', brand: demo.name, store: storeName, login: loginId, password: DEMO_KIOSK_SECRET });
        }
      }
      for (let c = 1; c <= COUNSELORS_PER_BRAND; c++) {
        const email = `counselor${c}@${demo.slug}.demo`;
        await accounts.insertAccount({ role: 'counselor', email, passwordHash, displayName: `상담원 ${c}`, brandId: brand.id, storeId: null });
        created.push({ role: 'counselor', brand: demo.name, store: null, login: email, password: DEMO_PASSWORD });
      }
    }
    return created;
  });
}

export function formatDemoAccounts(accounts: DemoAccount[]): string {
  const lines = accounts.map((a) => `  ${a.role.padEnd(9)} ${a.brand} ${a.store ?? ''}`.padEnd(34) + `  ${a.login}  /  ${a.password}`);
  return ['Demo accounts (role, brand, store, login / password):', ...lines].join('\n');
}
