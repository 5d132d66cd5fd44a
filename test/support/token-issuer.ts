// A test stand-in for Microsoft's two token services, on 127.0.0.1, with its own RSA key:
// - Bot Framework's OpenID metadata and signing keys (what the SDK checks inbound tokens against),
//   and `botToken()` to sign the JWT the Bot Connector service puts on each request to the bot;
// - Entra's client-credentials token endpoint, where the bot gets its token for calling the Bot
//   Connector (checks the app id and password, answers a signed JWT like the real one).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback.ts';
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function newKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

export function signJwt(claims: Record<string, unknown>, key: SigningKey): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid, x5t: key.kid }));
  const payload = b64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key.privateKey);
  return `${header}.${payload}.${b64url(signature)}`;
}

export interface TokenRequest {
  tenant: string;
  clientId: string;
  scope: string;
  ok: boolean;
}

let processKeys: { key: SigningKey; rogue: SigningKey } | undefined;
/** An RSA key costs ~50 ms of CPU to make: every issuer in the process signs with the same pair (each has its own server). */
const keys = () => (processKeys ??= { key: newKey('test-key-1'), rogue: newKey('test-key-1') });

export class TokenIssuer {
  readonly key = keys().key;
  /** A key the issuer does not publish: tokens signed with it are forgeries. */
  readonly rogueKey = keys().rogue;
  readonly tokenRequests: TokenRequest[] = [];
  keyRequests = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly app: { id: string; password: string },
  ) {}

  static async start(app: { id: string; password: string }): Promise<TokenIssuer> {
    const holder: { issuer?: TokenIssuer } = {};
    const { server, port } = await listenOnLoopback((req, res) => holder.issuer!.handle(req, res));
    holder.issuer = new TokenIssuer(server, port, app);
    return holder.issuer;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** TEAMS_OPENID_METADATA_URL */
  get openIdMetadataUrl(): string {
    return `${this.base}/v1/.well-known/openidconfiguration`;
  }

  /** TEAMS_LOGIN_URL */
  get loginUrl(): string {
    return `${this.base}/login`;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  /** The token Bot Framework signs for a request to the bot (claims overridable to forge bad ones). */
  botToken(serviceUrl: string, over: { claims?: Record<string, unknown>; key?: 'rogue'; expiresInSeconds?: number } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      serviceurl: serviceUrl,
      nbf: now - 60,
      iat: now - 60,
      exp: now + (over.expiresInSeconds ?? 3600),
      iss: BOT_FRAMEWORK_ISSUER,
      aud: this.app.id,
      ...over.claims,
    };
    return signJwt(claims, over.key === 'rogue' ? this.rogueKey : this.key);
  }

  /** Was this token (the bot's, for the Bot Connector) issued here? */
  issued(token: string): boolean {
    const [h, p, s] = token.split('.');
    if (!h || !p || !s) return false;
    const ok = verify('sha256', Buffer.from(`${h}.${p}`), this.key.publicKey, Buffer.from(s, 'base64url'));
    if (!ok) return false;
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { aud?: string; exp?: number; appid?: string };
    return claims.aud === 'https://api.botframework.com' && claims.appid === this.app.id && (claims.exp ?? 0) > Date.now() / 1000;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/v1/.well-known/openidconfiguration') {
      return json(200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: 'https://invalid.botframework.com',
        jwks_uri: `${this.base}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (req.method === 'GET' && url.pathname === '/v1/.well-known/keys') {
      this.keyRequests++;
      const jwk = this.key.publicKey.export({ format: 'jwk' });
      return json(200, { keys: [{ ...jwk, kty: 'RSA', use: 'sig', alg: 'RS256', kid: this.key.kid, x5t: this.key.kid, endorsements: ['msteams'] }] });
    }
    const token = /^\/login\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (req.method === 'POST' && token) {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const clientId = form.get('client_id') ?? '';
      const ok = form.get('grant_type') === 'client_credentials' && clientId === this.app.id && form.get('client_secret') === this.app.password;
      this.tokenRequests.push({ tenant: decodeURIComponent(token[1]!), clientId, scope: form.get('scope') ?? '', ok });
      if (!ok) return json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
      const now = Math.floor(Date.now() / 1000);
      const accessToken = signJwt({ aud: 'https://api.botframework.com', iss: `https://sts.windows.net/${token[1]}/`, appid: this.app.id, iat: now, nbf: now, exp: now + 3600 }, this.key);
      return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
    }
    json(404, { error: 'not_found' });
  }
}
