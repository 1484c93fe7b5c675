import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  DeleteKioskDeviceSettingsRoute,
  GetDeviceSettingsRoute,
  GetKioskDeviceSettingsRoute,
  PutDeviceSettingsRoute,
  PutKioskDeviceSettingsRoute,
} from './devices.schemas.js';
import type { DevicesService } from './devices.service.js';

export const devicesRoutes: FastifyPluginAsyncTypebox<{ devices: DevicesService }> = async (app, { devices }) => {
  const storeOwner = { access: { roles: ['owner'] as const, storeParam: 'storeId' } };

  app.get('/api/stores/:storeId/device-settings', { schema: GetDeviceSettingsRoute, config: storeOwner }, async (request) =>
    devices.readSettings(request.params.storeId),
  );

  app.put('/api/stores/:storeId/device-settings', { schema: PutDeviceSettingsRoute, config: storeOwner }, async (request) =>
    devices.updateSettings(request.params.storeId, request.body),
  );

  app.get('/api/stores/:storeId/kiosks/:kioskId/device-settings', { schema: GetKioskDeviceSettingsRoute, config: storeOwner }, async (request) =>
    devices.readKioskSettings(request.params.storeId, request.params.kioskId),
  );

  app.put('/api/stores/:storeId/kiosks/:kioskId/device-settings', { schema: PutKioskDeviceSettingsRoute, config: storeOwner }, async (request) =>
    devices.updateKioskSettings(request.params.storeId, request.params.kioskId, request.body),
  );

  app.delete('/api/stores/:storeId/kiosks/:kioskId/device-settings', { schema: DeleteKioskDeviceSettingsRoute, config: storeOwner }, async (request) =>
    devices.clearKioskSettings(request.params.storeId, request.params.kioskId),
  );
};
