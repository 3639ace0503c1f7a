import { createHmac, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import { AppError } from '../../errors.ts';

/** The single sign-on settings (see config.ts: OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_LABEL). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  label: string;
}

/** Who the provider says signed in: its issuer, their subject there, and their email when the provider vouches for it. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
}

/** What one sign-in attempt keeps in the browser between leaving for the provider and coming back. */
interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  /** Epoch milliseconds after which the attempt is refused. */
  expires: number;
}

/** The cookie that carries a pending attempt; sent only to the single sign-on routes. */
export const SSO_COOKIE = 'dayone_sso';
export const SSO_COOKIE_PATH = '/staff/sso';
/** Long enough to sign in at the provider, short enough that a stolen cookie is soon useless. */
export const SSO_ATTEMPT_SECONDS = 600;
/** Seconds before a provider that does not answer is given up on. */
const PROVIDER_TIMEOUT_SECONDS = 10;

/** A single sign-on attempt that cannot go on; the page says `message` with `status`. */
export class SsoError extends AppError {
  constructor(status: number, message: string) {
    super(status, 'sso_failed', message);
  }
}

/**
 * The OpenID Connect client of the staff workspace: the authorization code flow with PKCE, a
 * state and a nonce, kept in a signed cookie rather than on the server, so any node can finish
 * what another started. The provider's configuration is discovered once and kept (retried
 * after a failure).
 */
export function createOidcClient({ settings, publicUrl, secret }: { settings: OidcSettings; publicUrl: string; secret: string }) {
  const redirectUri = `${publicUrl}/staff/sso/callback`;
  let discovered: Promise<client.Configuration> | undefined;

  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        // A provider on plain http is only accepted because the operator configured it so (private network, tests).
        ...(settings.issuer.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  }

  const sign = (payload: string) => createHmac('sha256', secret).update(`sso\0${payload}`).digest('base64url');

  function seal(pending: Pending): string {
    const payload = Buffer.from(JSON.stringify(pending)).toString('base64url');
    return `${payload}.${sign(payload)}`;
  }

  function open(cookie: string | undefined): Pending | undefined {
    const [payload, signature, extra] = (cookie ?? '').split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const pending = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Pending;
      return typeof pending.expires === 'number' && pending.expires > Date.now() ? pending : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    label: settings.label,

    /** Where to send the browser to sign in at the provider, and the cookie value that remembers the attempt. */
    async start({ next }: { next: string }): Promise<{ url: string; cookie: string }> {
      let config: client.Configuration;
      try {
        config = await configuration();
      } catch {
        throw new SsoError(502, `${settings.label} cannot be reached just now. Try again in a moment, or sign in with your password.`);
      }
      const pending: Pending = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: client.randomPKCECodeVerifier(),
        next,
        expires: Date.now() + SSO_ATTEMPT_SECONDS * 1000,
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, cookie: seal(pending) };
    },

    /**
     * Checks the provider's answer against the attempt in the cookie (state, nonce, PKCE, the
     * ID token's signature, issuer and audience, all done by openid-client), and answers who signed in
     * and where they were going.
     */
    async finish({ query, cookie }: { query: string; cookie: string | undefined }): Promise<{ identity: OidcIdentity; next: string }> {
      const pending = open(cookie);
      if (!pending) throw new SsoError(400, 'This sign-in attempt has expired or was started in another browser. Start again from the sign-in page.');
      let config: client.Configuration;
      try {
        config = await configuration();
      } catch {
        throw new SsoError(502, `${settings.label} cannot be reached just now. Try again in a moment, or sign in with your password.`);
      }
      try {
        const tokens = await client.authorizationCodeGrant(config, new URL(`${redirectUri}${query}`), {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
        });
        const claims = tokens.claims();
        if (!claims) throw new Error('no ID token');
        let email = typeof claims.email === 'string' ? claims.email : undefined;
        let verified: unknown = claims.email_verified;
        // Many providers put the email only in the userinfo answer, not in the ID token.
        if (!email && config.serverMetadata().userinfo_endpoint) {
          const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
          email = typeof info.email === 'string' ? info.email : undefined;
          verified = info.email_verified;
        }
        return {
          identity: { issuer: claims.iss, subject: claims.sub, email, emailVerified: verified === true || verified === 'true' },
          next: pending.next,
        };
      } catch (error) {
        if (error instanceof client.AuthorizationResponseError) {
          throw new SsoError(400, `${settings.label} did not sign you in (${error.error}). Start again, or sign in with your password.`);
        }
        // fetch() fails with "fetch failed" when the provider is down, and aborts when it is too slow.
        const unreachable = error instanceof Error && ((error instanceof TypeError && error.message === 'fetch failed') || error.name === 'TimeoutError' || error.name === 'AbortError');
        const refused = unreachable
          ? new SsoError(502, `${settings.label} cannot be reached just now. Try again in a moment, or sign in with your password.`)
          : new SsoError(400, `The answer from ${settings.label} could not be verified, so you are not signed in. Start again from the sign-in page.`);
        refused.cause = error;
        throw refused;
      }
    },
  };
}

export type OidcClient = ReturnType<typeof createOidcClient>;
