import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/access-policy.js';
import { AcknowledgeStaffCallRoute, CallStaffRoute, GetStaffCallSettingsRoute, ListStaffCallsRoute, PutStaffCallSettingsRoute } from './staff-calls.schemas.js';
import type { StaffCallsService } from './staff-calls.service.js';

export const staffCallsRoutes: FastifyPluginAsyncTypebox<{ staffCalls: StaffCallsService }> = async (app, { staffCalls }) => {
  const storeKiosk = { access: { roles: ['kiosk'] as const, storeParam: 'storeId' } };
  const storeOwner = { access: { roles: ['owner'] as const, storeParam: 'storeId' } };
  // the kiosk reads the stall time it watches for
  const ownerOrKiosk = { access: { roles: ['owner', 'kiosk'] as const, storeParam: 'storeId' } };

  app.post('/api/stores/:storeId/staff-calls', { schema: CallStaffRoute, config: storeKiosk }, async (request, reply) => {
    const { call, merged } = await staffCalls.call(request.params.storeId, principalOf(request).subjectId, request.body);
    return reply.code(merged ? 200 : 201).send(call);
  });

  app.post('/api/stores/:storeId/staff-calls/:callId/acknowledge', { schema: AcknowledgeStaffCallRoute, config: storeOwner }, async (request) =>
    staffCalls.acknowledge(request.params.storeId, request.params.callId, principalOf(request).subjectId),
  );

  app.get('/api/stores/:storeId/staff-calls', { schema: ListStaffCallsRoute, config: storeOwner }, async (request) =>
    staffCalls.listDay(request.params.storeId, request.query.date),
  );

  app.get('/api/stores/:storeId/staff-calls/settings', { schema: GetStaffCallSettingsRoute, config: ownerOrKiosk }, async (request) =>
    staffCalls.settings(request.params.storeId),
  );

  app.put('/api/stores/:storeId/staff-calls/settings', { schema: PutStaffCallSettingsRoute, config: storeOwner }, async (request) =>
    staffCalls.saveSettings(request.params.storeId, request.body),
  );
};
