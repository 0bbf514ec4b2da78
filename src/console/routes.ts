import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { problem, sendProblem, type Principal } from '../gateway/index.js';
import { consoleUiRoot, uplotRoot, vendorFiles } from './assets.js';
import { consoleCss } from './styles.js';
import { shellHtml } from './shell.js';
import { csrfMatches, type ConsoleSessions } from './sessions.js';

/** The session cookie's name. */
export const sessionCookie = 'tb_console';

/** The console's Content-Security-Policy: its own scripts, styles and API only. */
const consoleHelmet = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
};

const SignIn = z.union([
  z.object({ apiKey: z.string().min(1).max(512) }).strict(),
  z.object({ clientId: z.string().min(1).max(200), clientSecret: z.string().min(1).max(512) }).strict(),
]);
const AssetParams = z.object({ file: z.string().regex(/^[a-z0-9-]+\.js(\.map)?$/) });
const VendorParams = z.object({ file: z.enum(Object.keys(vendorFiles) as [string, ...string[]]) });
const tags = ['console'];

function sessionView(principal: Principal, csrfToken: string, expiresAt: number) {
  return { principal: { id: principal.id, name: principal.name, kind: principal.kind, scopes: principal.scopes }, csrfToken, expiresAt: new Date(expiresAt).toISOString() };
}

/** Finds a request's console session from its cookie; `csrf` when an unsafe request lacks the session's CSRF token. */
export function sessionResolver(sessions: ConsoleSessions) {
  return async (request: FastifyRequest): Promise<Principal | 'csrf' | undefined> => {
    const token = request.cookies[sessionCookie];
    if (!token) return undefined;
    const session = await sessions.resolve(token);
    if (!session) return undefined;
    const safe = request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS';
    if (!safe && !csrfMatches(session, headerOf(request, 'x-csrf-token'))) return 'csrf';
    return session.principal;
  };
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: number | null) {
  reply.setCookie(sessionCookie, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    ...(expiresAt === null ? { maxAge: 0 } : { expires: new Date(expiresAt) }),
  });
}

/** /console: the page shell, its scripts and styles, and sign-in / sign-out with a session cookie. */
export async function consoleRoutes(app: FastifyInstance, deps: { sessions: ConsoleSessions }): Promise<void> {
  const { sessions } = deps;
  const page = async (_request: FastifyRequest, reply: FastifyReply) => reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(shellHtml());
  const pageMeta = { helmet: consoleHelmet, config: { meta: { scope: 'public' as const, summary: 'The operations console (sign in with an API key or OAuth client)', tags, schemas: { responses: { 200: { description: 'The console page', contentType: 'text/html' } } } } } };
  app.get('/console', pageMeta, page);
  app.get('/console/*', pageMeta, page);

  app.get('/console/assets/console.css', { helmet: consoleHelmet, config: { meta: { scope: 'public', summary: "The console's stylesheet", tags, schemas: { responses: { 200: { description: 'CSS', contentType: 'text/css' } } } } } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('Cache-Control', 'no-cache').send(consoleCss),
  );

  app.get('/console/assets/:file', { helmet: consoleHelmet, config: { meta: { scope: 'public', summary: "A script of the console's page", tags, schemas: { params: AssetParams, responses: { 200: { description: 'JavaScript module', contentType: 'text/javascript' } } } } } }, async (request, reply) => {
    const params = AssetParams.safeParse(request.params);
    const file = params.success ? path.join(consoleUiRoot(), params.data.file) : undefined;
    if (!file || !existsSync(file)) return sendProblem(reply, problem(404, 'not-found', 'Not found', 'no such console asset (is the console built? npm run build)'));
    return reply.type(file.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8').header('Cache-Control', 'no-cache').send(createReadStream(file));
  });

  app.get('/console/vendor/:file', { helmet: consoleHelmet, config: { meta: { scope: 'public', summary: 'A third-party file the console loads (uPlot)', tags, schemas: { params: VendorParams, responses: { 200: { description: 'The file', contentType: 'application/octet-stream' } } } } } }, async (request, reply) => {
    const params = VendorParams.safeParse(request.params);
    const vendor = params.success ? vendorFiles[params.data.file] : undefined;
    if (!vendor) return sendProblem(reply, problem(404, 'not-found', 'Not found', 'no such vendor file'));
    return reply.type(vendor.type).header('Cache-Control', 'public, max-age=86400').send(createReadStream(path.join(uplotRoot(), vendor.file)));
  });

  app.get('/console/session', { config: { meta: { scope: 'public', summary: 'Who is signed in to the console, with the CSRF token its changes must carry', tags } } }, async (request, reply) => {
    const token = request.cookies[sessionCookie];
    const session = token ? await sessions.resolve(token) : undefined;
    if (!session) return sendProblem(reply, problem(401, 'unauthorized', 'Unauthorized', 'not signed in to the console'));
    return sessionView(session.principal, session.csrfToken, session.expiresAt);
  });

  app.post('/console/session', { config: { meta: { scope: 'public', summary: 'Sign in to the console with an API key or an OAuth client id and secret; sets an HttpOnly, SameSite=Strict session cookie', tags, schemas: { body: SignIn } } } }, async (request, reply) => {
    const body = SignIn.safeParse(request.body);
    if (!body.success) return sendProblem(reply, problem(422, 'validation', 'Invalid sign-in', 'send {"apiKey"} or {"clientId", "clientSecret"}'));
    const session = await sessions.signIn(body.data);
    if (!session) {
      request.log.info({ reqId: request.id, with: 'apiKey' in body.data ? 'api_key' : 'oauth_client' }, 'console sign-in refused');
      return sendProblem(reply, problem(401, 'unauthorized', 'Unauthorized', 'that API key or client is not valid, or was revoked'));
    }
    request.log.info({ reqId: request.id, principal: session.principal.id }, 'console sign-in');
    setSessionCookie(request, reply, session.token, session.expiresAt);
    return reply.code(201).send(sessionView(session.principal, session.csrfToken, session.expiresAt));
  });

  app.delete('/console/session', { config: { meta: { scope: 'public', summary: 'Sign out of the console (needs the X-CSRF-Token header)', tags } } }, async (request, reply) => {
    const token = request.cookies[sessionCookie];
    const session = token ? await sessions.resolve(token) : undefined;
    if (token && session) {
      if (!csrfMatches(session, headerOf(request, 'x-csrf-token'))) return sendProblem(reply, problem(403, 'csrf', 'Forbidden', 'signing out needs the X-CSRF-Token header'));
      await sessions.signOut(token);
    }
    setSessionCookie(request, reply, '', null);
    return reply.code(204).send();
  });
}
