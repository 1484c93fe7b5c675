// Schema pieces shared by many routes.
import { Type } from 'typebox';
import { ErrorBody } from './error-body.js';

export const Email = Type.String({ format: 'email', maxLength: 254, description: 'an email address' });
export const Password = Type.String({ minLength: 8, maxLength: 128, description: '8 to 128 characters' });
// a plain UUID only (ajv's 'uuid' format also takes 'urn:uuid:...', which PostgreSQL refuses)
export const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
export const AccountRoleSchema = Type.Union([Type.Literal('owner'), Type.Literal('counselor')]);
export const RoleSchema = Type.Union([
  Type.Literal('owner'),
  Type.Literal('counselor'),
  Type.Literal('kiosk'),
  Type.Literal('kitchen'),
  Type.Literal('pickup'),
]);
// services hand out Dates; the serializer writes them as ISO 8601 strings
export const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });

/** the error responses a route may give, for the OpenAPI document */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBody]));
}

export const StoreParams = Type.Object({ storeId: Uuid });
