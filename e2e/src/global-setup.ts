/** One server for every journey: starting the embedded database and migrating takes a while, and each journey signs up its own firm anyway. */
import type { TestProject } from 'vitest/node';
import { startServer, type RunningServer } from './server.js';

let server: RunningServer | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    serverOutput: string;
  }
}

export async function setup(project: TestProject) {
  server = await startServer();
  project.provide('serverUrl', server.url);
  project.provide('serverOutput', server.output());
}

export async function teardown() {
  await server?.stop();
}
