/**
 * PostgreSQL LISTEN for the platform's channels. On PostgreSQL one dedicated
 * connection per process (reconnecting with backoff; after a reconnect every
 * channel's callback gets `null` so the consumer can catch up on what it
 * missed). On PGlite notifications stay in-process.
 */
import pg from 'pg';
import type { Database } from '../db/database.js';

export type NotifyCallback = (payload: string | null) => void;

export interface Listener {
  listen(channel: string, cb: NotifyCallback): Promise<() => void>;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

export function createListener(db: Database, onError: (err: unknown) => void): Listener {
  const callbacks = new Map<string, Set<NotifyCallback>>();
  const unlisten = new Map<string, () => Promise<void>>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let closed = false;

  const dispatch = (channel: string, payload: string | null) => {
    for (const cb of callbacks.get(channel) ?? []) {
      try {
        cb(payload);
      } catch (err) {
        onError(err);
      }
    }
  };

  const connect = (): Promise<pg.Client> => {
    connecting ??= (async () => {
      const c = new pg.Client({ ...(db.pool!.options as pg.ClientConfig), application_name: 'pillar-listen' });
      c.on('notification', (n) => dispatch(n.channel, n.payload ?? ''));
      c.on('error', (err) => {
        onError(err);
        void reconnect();
      });
      await c.connect();
      for (const channel of callbacks.keys()) await c.query(`LISTEN ${channel}`);
      client = c;
      return c;
    })().catch((err: unknown) => {
      connecting = null;
      throw err;
    });
    return connecting;
  };

  const reconnect = async () => {
    const old = client;
    client = null;
    connecting = null;
    await old?.end().catch(() => undefined);
    for (let delay = 250; !closed; delay = Math.min(delay * 2, 10_000)) {
      try {
        await connect();
        for (const channel of callbacks.keys()) dispatch(channel, null);
        return;
      } catch (err) {
        onError(err);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };

  return {
    async listen(channel, cb) {
      if (!CHANNEL.test(channel)) throw new Error('invalid channel name');
      let set = callbacks.get(channel);
      if (!set) {
        set = new Set();
        callbacks.set(channel, set);
        if (db.pglite) {
          unlisten.set(channel, await db.pglite.listen(channel, (p) => dispatch(channel, p)));
        } else {
          // LISTEN is idempotent, so a connect that raced this call and already listened does no harm.
          await (client ?? (await connect())).query(`LISTEN ${channel}`);
        }
      }
      set.add(cb);
      return () => void set.delete(cb);
    },
    async close() {
      closed = true;
      for (const off of unlisten.values()) await off().catch(() => undefined);
      unlisten.clear();
      callbacks.clear();
      const c = client ?? (connecting ? await connecting.catch(() => null) : null);
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
