/** A local webhook receiver that verifies every delivery with `standardwebhooks`, as a subscriber would. */
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { ServiceEvent } from '../../../service/src/events';

export interface Received {
  id: string;
  /** The webhook-timestamp and webhook-signature headers as received. */
  timestamp: string;
  signature: string;
  event: ServiceEvent;
}

export interface WebhookReceiver {
  url: string;
  secret: string;
  verified: Received[];
  rejected: string[];
  /** Answer the next N deliveries with this status instead of 204. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const verifier = new Webhook(secret);
  const verified: Received[] = [];
  const rejected: string[] = [];
  let failures = 0;
  let failStatus = 500;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (failures > 0) {
        failures--;
        response.writeHead(failStatus).end();
        return;
      }
      try {
        const event = verifier.verify(body, request.headers as Record<string, string>) as ServiceEvent;
        verified.push({ id: String(request.headers['webhook-id']), timestamp: String(request.headers['webhook-timestamp']), signature: String(request.headers['webhook-signature']), event });
        response.writeHead(204).end();
      } catch (err) {
        rejected.push((err as Error).message);
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    secret,
    verified,
    rejected,
    failNext(count, status = 500) {
      failures = count;
      failStatus = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
