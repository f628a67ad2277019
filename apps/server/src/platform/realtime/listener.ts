/**
 * PostgreSQL LISTEN for the platform's channels. On PostgreSQL one dedicated
 * connection per process (reconnecting with backoff; after a reconnect every
 * channel's callback gets `null` so the consumer can catch up on what it
 * missed). On PGlite notifications stay in-process.
 */
import type pg from 'pg';
import type { Database } from '../db/database.js';

export type NotifyCallback = (payload: string | null) => void;

export interface Listener {
  listen(channel: string, cb: NotifyCallback): Promise<() => void>;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

class PgListener implements Listener {
  #callbacks = new Map<string, Set<NotifyCallback>>();
  #unlisten = new Map<string, () => Promise<void>>();
  #client: pg.Client | null = null;
  #connecting: Promise<pg.Client> | null = null;
  #closed = false;

  constructor(private readonly db: Database, private readonly onError: (err: unknown) => void) {}

  #dispatch(channel: string, payload: string | null) {
    for (const cb of this.#callbacks.get(channel) ?? []) {
      try {
        cb(payload);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  #connect(): Promise<pg.Client> {
    this.#connecting ??= (async () => {
      // Loaded on first use: the embedded engine never needs the driver, and a start should not pay for it.
      const { default: { Client } } = await import('pg');
      const c = new Client({ ...(this.db.pool!.options as pg.ClientConfig), application_name: 'pillar-listen' });
      c.on('notification', (n) => this.#dispatch(n.channel, n.payload ?? ''));
      c.on('error', (err) => {
        this.onError(err);
        void this.#reconnect();
      });
      await c.connect();
      for (const channel of this.#callbacks.keys()) await c.query(`LISTEN ${channel}`);
      this.#client = c;
      return c;
    })().catch((err: unknown) => {
      this.#connecting = null;
      throw err;
    });
    return this.#connecting;
  }

  async #reconnect() {
    const old = this.#client;
    this.#client = null;
    this.#connecting = null;
    await old?.end().catch(() => undefined);
    for (let delay = 250; !this.#closed; delay = Math.min(delay * 2, 10_000)) {
      try {
        await this.#connect();
        for (const channel of this.#callbacks.keys()) this.#dispatch(channel, null);
        return;
      } catch (err) {
        this.onError(err);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async listen(channel: string, cb: NotifyCallback): Promise<() => void> {
    if (!CHANNEL.test(channel)) throw new Error('invalid channel name');
    let set = this.#callbacks.get(channel);
    if (!set) {
      set = new Set();
      this.#callbacks.set(channel, set);
      if (this.db.pglite) {
        this.#unlisten.set(channel, await this.db.pglite.listen(channel, (p) => this.#dispatch(channel, p)));
      } else {
        // LISTEN is idempotent, so a connect that raced this call and already listened does no harm.
        await (this.#client ?? (await this.#connect())).query(`LISTEN ${channel}`);
      }
    }
    set.add(cb);
    return () => void set.delete(cb);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const off of this.#unlisten.values()) await off().catch(() => undefined);
    this.#unlisten.clear();
    this.#callbacks.clear();
    const c = this.#client ?? (this.#connecting ? await this.#connecting.catch(() => null) : null);
    this.#client = null;
    await c?.end().catch(() => undefined);
  }
}

export function createListener(db: Database, onError: (err: unknown) => void): Listener {
  return new PgListener(db, onError);
}
