import type { FastifyInstance } from 'fastify';
import { PUBLIC } from '../access';
import { CONSOLE_CSS, CONSOLE_JS } from '../assets';

export function registerAssetRoutes(app: FastifyInstance): void {
  app.get('/assets/console.css', PUBLIC, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(CONSOLE_CSS));
  app.get('/assets/console.js', PUBLIC, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(CONSOLE_JS));
  app.get('/favicon.ico', PUBLIC, async (_request, reply) => reply.code(204).send());
}
