// Brands are created by the operator (`pinokio create-brand`); stores and counselors join one by
// its code.
import { randomInt } from 'node:crypto';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/http/errors.js';
import { BrandsRepository, type Brand } from './brands.repository.js';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: codes are read aloud
export const BRAND_CODE_PATTERN = '^[A-Z0-9-]{3,20}$';

export class BrandsService {
  constructor(private readonly db: Database) {}

  async create(name: string, code?: string): Promise<Brand> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 60) {
      throw new DomainError('invalid', 'invalid_brand_name', 'A brand name has 1 to 60 characters.');
    }
    const brandCode = (code ?? generateCode()).toUpperCase();
    if (!new RegExp(BRAND_CODE_PATTERN).test(brandCode)) {
      throw new DomainError('invalid', 'invalid_brand_code', 'A brand code has 3 to 20 letters, digits or dashes.');
    }
    const repository = new BrandsRepository(this.db);
    if (await repository.findByCode(brandCode)) {
      throw new DomainError('conflict', 'brand_code_taken', `The brand code ${brandCode} is already in use.`);
    }
    return repository.insert(trimmed, brandCode);
  }

  async findByCode(code: string): Promise<Brand> {
    const brand = await new BrandsRepository(this.db).findByCode(code);
    if (!brand) throw new DomainError('not_found', 'unknown_brand_code', 'No brand has this code. Check the code your brand gave you.');
    return brand;
  }

  list(): Promise<Brand[]> {
    return new BrandsRepository(this.db).list();
  }
}

function generateCode(): string {
  let code = '';
  for (let i = 0; i < 6; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}
