/** PostgreSQL's unique_violation (23505), from a server or from PGlite alike */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

/** an error raised with this SQLSTATE (by a server or PGlite), e.g. a function's own refusal */
export function hasSqlState(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === code;
}

// What a lost or refused connection looks like from node-postgres: a socket error, pg's own
// messages, or the server's SQLSTATE while it shuts down or starts up (class 08, 57P01-57P03).
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
const unreachableMessages =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Connection ended unexpectedly/i;

/** the database server is gone or not taking connections: worth retrying later, not the request's fault */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (unreachableCodes.has(code) || code.startsWith('08'))) return true;
  if (typeof message === 'string' && unreachableMessages.test(message)) return true;
  // node's connect to several addresses (localhost: ::1 and 127.0.0.1) fails as an AggregateError
  return Array.isArray(errors) && errors.length > 0 && errors.every(isDatabaseUnreachable);
}
