import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['src/**/*.measure.ts'], pool: 'forks', maxWorkers: 1, fileParallelism: false, testTimeout: 1_200_000, hookTimeout: 300_000 },
});
