// The floor for Teams: a bare Teams SDK app (its own HTTP server) that only receives messages, with
// the bot's receiver settings — the Bot Framework JWT checked on every request against the same
// issuer's keys, for the same app id.
import { App } from '@microsoft/teams.apps';
import { PUBLIC, withOverrides } from '@microsoft/teams.api';
import { ConsoleLogger } from '@microsoft/teams.common';
import { clientCredentialsTokenProvider } from '../../src/platforms/teams/token.ts';
import { serve } from './control.ts';

const { env, port } = JSON.parse(process.argv[2]!) as { env: Record<string, string>; port: number };
const app = new App({
  clientId: env.TEAMS_APP_ID!,
  token: clientCredentialsTokenProvider({ loginUrl: env.TEAMS_LOGIN_URL!, clientId: env.TEAMS_APP_ID!, clientSecret: env.TEAMS_APP_PASSWORD!, defaultTenant: env.TEAMS_TENANT_ID! }),
  tenantId: env.TEAMS_TENANT_ID!,
  cloud: withOverrides(PUBLIC, { openIdMetadataUrl: env.TEAMS_OPENID_METADATA_URL!, loginEndpoint: env.TEAMS_LOGIN_URL! }),
  serviceUrl: env.TEAMS_SERVICE_URL!,
  dangerouslyAllowUnauthenticatedRequests: false,
  logger: new ConsoleLogger('bare-teams', { level: 'error' }),
});
app.on('message', () => {});
await app.start(port);
serve(port, { stop: () => app.stop() });
