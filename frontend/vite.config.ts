import { defineConfig } from 'vitest/config';

// No React plugin: esbuild compiles TSX by itself, and the plugin's only other gift, fast refresh, is a dev nicety
// that would add Babel to every Maven build.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    // Straight into the jar's resources: the gateway reads META-INF/monkeytown-frontend/ from its class path.
    outDir: 'target/classes/META-INF/monkeytown-frontend',
    emptyOutDir: true,
    target: 'es2020',
    // Every browser that runs this bundle supports modulepreload; the polyfill would only cost bytes.
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` against a suite started with ./monkeytown up
    proxy: {
      '/api': 'http://localhost:8080',
      '/version.json': 'http://localhost:8080',
      '/ws': { target: 'ws://localhost:8080', ws: true },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
