// What a staff call puts on the store's live stream to its POS (GET /api/stores/:storeId/orders/live,
// next to the order events): a new call, and a call acknowledged (so every POS screen drops its alert).
import type { StaffCall } from './staff-calls.repository.js';

export type StaffCallEvent = { type: 'staff-call.created' | 'staff-call.acknowledged'; call: StaffCall };
