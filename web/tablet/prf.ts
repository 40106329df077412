import type { PrfFactor } from './device.ts';
import { fromBase64, toBase64 } from './vault.ts';

/**
 * Issue 18: the platform authenticator's WebAuthn PRF extension as the tablet's second factor. The secret
 * behind it never leaves the tablet's secure hardware, which checks the user itself (fingerprint, face,
 * device PIN) and limits guesses, so a copy of the disk holds nothing to try PINs against. Used where the
 * browser and the device offer it; everywhere else the server's half is used instead.
 */

const encoder = new TextEncoder();

/** The PRF's input: a hash of a fixed label and the tablet's salt (32 bytes). */
async function prfInput(salt: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const label = encoder.encode('screening-tablet/prf/v2:');
  const data = new Uint8Array(label.length + salt.length);
  data.set(label);
  data.set(salt, label.length);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

interface PrfResults {
  enabled?: boolean;
  results?: { first?: ArrayBuffer | ArrayBufferView };
}

const asBytes = (value: ArrayBuffer | ArrayBufferView): Uint8Array<ArrayBuffer> =>
  value instanceof ArrayBuffer
    ? new Uint8Array(value.slice(0))
    : new Uint8Array(
        value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer,
      );

function prfOf(credential: Credential | null): PrfResults | undefined {
  if (!(credential instanceof PublicKeyCredential)) return undefined;
  return (credential.getClientExtensionResults() as { prf?: PrfResults }).prf;
}

async function evaluate(credentialId: string, salt: Uint8Array<ArrayBuffer>) {
  const credential = await navigator.credentials.get({
    publicKey: {
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      allowCredentials: [{ type: 'public-key', id: fromBase64(credentialId) }],
      userVerification: 'required',
      timeout: 60_000,
      extensions: { prf: { eval: { first: await prfInput(salt) } } } as AuthenticationExtensionsClientInputs,
    },
  });
  const first = prfOf(credential)?.results?.first;
  return first ? asBytes(first) : null;
}

/** The PRF factor, or undefined where this browser has no user-verifying platform authenticator. */
export async function platformPrf(): Promise<PrfFactor | undefined> {
  if (typeof PublicKeyCredential === 'undefined') return undefined;
  const available = await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable().catch(
    () => false,
  );
  if (!available) return undefined;
  return {
    async create(owner, salt) {
      const credential = await navigator.credentials.create({
        publicKey: {
          rp: { name: 'Return interview', id: location.hostname },
          user: { id: crypto.getRandomValues(new Uint8Array(16)), name: owner, displayName: owner },
          challenge: crypto.getRandomValues(new Uint8Array(32)),
          pubKeyCredParams: [
            { type: 'public-key', alg: -7 },
            { type: 'public-key', alg: -257 },
          ],
          authenticatorSelection: {
            authenticatorAttachment: 'platform',
            userVerification: 'required',
            residentKey: 'discouraged',
          },
          timeout: 60_000,
          extensions: {
            prf: { eval: { first: await prfInput(salt) } },
          } as AuthenticationExtensionsClientInputs,
        },
      });
      const prf = prfOf(credential);
      if (!(credential instanceof PublicKeyCredential) || prf?.enabled !== true) return null;
      const credentialId = toBase64(new Uint8Array(credential.rawId));
      // Some authenticators answer the PRF at creation; the others on the first assertion.
      const first = prf.results?.first;
      const output = first ? asBytes(first) : await evaluate(credentialId, salt);
      return output ? { credentialId, output } : null;
    },
    evaluate,
  };
}
