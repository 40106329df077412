/**
 * Replies carry the bot's own token, so they go only to Bot Framework hosts the deployment trusts: a forged
 * `serviceUrl` would otherwise receive that token. Teams uses smba.trafficmanager.net.
 */
export const defaultServiceUrlHosts = ['smba.trafficmanager.net'] as const;

export function isAllowedServiceUrl(serviceUrl: string, allowedHosts: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  const loopback = host === '127.0.0.1' || host === 'localhost';
  // Plain http only for a loopback host the configuration names (tests, the Emulator).
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return false;
  if (url.username || url.password) return false;
  // An entry with a port (`127.0.0.1:5050`) allows that port only: locally, the Emulator's own callback and not
  // whatever else listens on loopback (issue 18).
  return allowedHosts.some((allowed) =>
    allowed.includes(':') ? allowed.toLowerCase() === url.host.toLowerCase() : allowed.toLowerCase() === host,
  );
}
