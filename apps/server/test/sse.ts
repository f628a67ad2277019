/** Reads a Server-Sent Events stream with fetch (as the web app does), collecting parsed events. */
export interface SseEvent {
  event: string;
  id: string;
  data: Record<string, unknown>;
}

export interface SseClient {
  status: number;
  events: SseEvent[];
  comments: string[];
  waitFor(predicate: (e: SseEvent[]) => boolean, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

export async function openStream(url: string, token: string, lastEventId?: string): Promise<SseClient> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: controller.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  if (res.ok && res.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const fields: Record<string, string> = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line.slice(1).trim());
              const i = line.indexOf(': ');
              if (i > 0) fields[line.slice(0, i)] = line.slice(i + 2);
            }
            if (fields.data) events.push({ event: fields.event ?? 'message', id: fields.id ?? '', data: JSON.parse(fields.data) as Record<string, unknown> });
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    status: res.status,
    events,
    comments,
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`stream: condition not met in ${timeoutMs} ms (${events.length} events: ${events.map((e) => e.event).join(', ')})`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return events;
    },
    close: () => controller.abort(),
  };
}
