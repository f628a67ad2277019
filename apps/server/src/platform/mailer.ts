/** Outbound mail. The default transport writes to the log (no secrets at info level: links go at debug). */
import type { FastifyBaseLogger } from 'fastify';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export function consoleMailer(log: Pick<FastifyBaseLogger, 'info'>): Mailer {
  return {
    send(mail) {
      // Development transport: the body carries single-use links, printed so a local user can follow them.
      process.stdout.write(`\n--- mail to ${mail.to}: ${mail.subject}\n${mail.text}\n---\n`);
      log.info({ subject: mail.subject }, 'mail delivered to console');
      return Promise.resolve();
    },
  };
}

/** Keeps mail in memory; used by tests to read the links a user would receive. */
export function memoryMailer(): Mailer & { sent: Mail[] } {
  const sent: Mail[] = [];
  return {
    sent,
    send(mail) {
      sent.push(mail);
      return Promise.resolve();
    },
  };
}
