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
  return allowedHosts.some((allowed) => allowed.toLowerCase() === host);
}
