/** PostgreSQL's unique_violation (23505), from a server or from PGlite alike */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

/** an error raised with this SQLSTATE (by a server or PGlite), e.g. a function's own refusal */
export function hasSqlState(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === code;
}
