/**
 * Test-only entry: installs the mocked engine, then starts the real app. Built with
 * `vite build --mode e2e` into `dist-e2e/`; never part of the shipped `dist/`.
 */
import { installMockEngine } from './mock-engine';

installMockEngine();
await import('../../src/main');
