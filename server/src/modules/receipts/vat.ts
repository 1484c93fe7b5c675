// The VAT lines of a Korean receipt. Menu prices include 10 % VAT, so a total T is supply value S
// plus VAT V with V = S / 10, i.e. V = T / 11. Won has no smaller unit: the VAT is rounded down
// (원 미만 버림, the usual practice for VAT-inclusive retail prices) and the supply value is what is
// left, so the two always add up to the total exactly (docs/payments.md, "Receipts").

export interface VatSplit {
  /** 공급가액 */
  supplyValue: number;
  /** 부가세 */
  vat: number;
}

/** a VAT-inclusive total in whole won -> 공급가액 and 부가세 (integer arithmetic, no floating point) */
export function splitVat(total: number): VatSplit {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`a total in whole won, not ${total}`);
  const vat = (total - (total % 11)) / 11; // floor(total / 11), exactly
  return { supplyValue: total - vat, vat };
}
