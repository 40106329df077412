import { connect, createServer, type Socket } from 'node:net';

/**
 * A loopback TCP relay in front of the dev server that a test can cut and restore, so "offline" means no
 * byte reaches the server (Chromium's offline emulation alone does not cover a service worker's fetches).
 */
export interface NetworkGate {
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startNetworkGate(target: string): Promise<NetworkGate> {
  const { hostname, port } = new URL(target);
  let open = true;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const gatePort = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${gatePort}`,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
