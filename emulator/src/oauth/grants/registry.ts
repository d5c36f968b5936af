import type { GrantHandler } from '../context';
import { authorizationCodeGrant } from './authorizationCode';
import { clientCredentialsGrant } from './clientCredentials';
import { refreshTokenGrant } from './refreshToken';

/** grant_type → handler. A new NetSuite grant quirk is a new file registered here. */
export const grantRegistry: ReadonlyMap<string, GrantHandler> = new Map(
  [authorizationCodeGrant, refreshTokenGrant, clientCredentialsGrant].map((g) => [g.grantType, g]),
);
