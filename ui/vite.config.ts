/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// Two builds share this config:
// - the default mode builds the app Tauri ships, from `index.html` into `dist/`;
// - `--mode e2e` builds the Playwright harness (`e2e/harness/`), which installs the IPC
//   mocks before starting the same app, into `dist-e2e/`. The mocks are only reachable
//   from the harness entry, so they never end up in `dist/`.
export default defineConfig(({ mode }) => {
  const e2e = mode === 'e2e';
  return {
    plugins: [svelte()],
    // Tauri prints its own output; keep Vite's visible.
    clearScreen: false,
    server: {
      port: 5173,
      // Tauri's devUrl points at this exact port.
      strictPort: true,
      watch: { ignored: ['**/test-results/**', '**/playwright-report/**'] },
    },
    preview: { port: 4173, strictPort: true },
    build: {
      outDir: e2e ? 'dist-e2e' : 'dist',
      emptyOutDir: true,
      // Only an external stylesheet and module scripts: nothing inline for the CSP to allow.
      modulePreload: { polyfill: false },
      rolldownOptions: { input: e2e ? 'e2e/harness/index.html' : 'index.html' },
    },
    test: {
      include: ['src/**/*.test.ts'],
      environment: 'node',
    },
  };
});
