// No React plugin: esbuild's automatic JSX runtime is all this app needs.
import { defineConfig } from 'vite';

const server = 'http://localhost:8080';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      onwarn(warning, warn) {
        // react-router marks its modules "use client" for server components; meaningless here
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'SOURCEMAP_ERROR') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': server,
      '/docs': server,
      '/dev': server,
      '/ws': { target: server, ws: true },
    },
  },
});
