import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GetDeviceSettingsRoute, PutDeviceSettingsRoute } from './devices.schemas.js';
import type { DevicesService } from './devices.service.js';

export const devicesRoutes: FastifyPluginAsyncTypebox<{ devices: DevicesService }> = async (app, { devices }) => {
  const storeOwner = { access: { roles: ['owner'] as const, storeParam: 'storeId' } };

  app.get('/api/stores/:storeId/device-settings', { schema: GetDeviceSettingsRoute, config: storeOwner }, async (request) =>
    devices.readSettings(request.params.storeId),
  );

  app.put('/api/stores/:storeId/device-settings', { schema: PutDeviceSettingsRoute, config: storeOwner }, async (request) =>
    devices.updateSettings(request.params.storeId, request.body),
  );
};
