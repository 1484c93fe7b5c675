/** PostgreSQL's unique_violation (23505), from a server or from PGlite alike */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
