// Preloaded (`node --require`) into the Microsoft 365 Agents Playground's process by scripts/teams-playground.ts.
// The Playground calls `server.listen(port, callback)` with no host, which listens on every interface: anyone
// on the network could then open its page and act as the demo user. Every listen that names a port but no
// host is given 127.0.0.1, as everything else `npm start` runs. Nothing else is changed.
const net = require('node:net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (
    (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) &&
    typeof second !== 'string'
  ) {
    return listen.call(this, Number(first), '127.0.0.1', ...args.slice(1));
  }
  if (
    first &&
    typeof first === 'object' &&
    !Array.isArray(first) &&
    'port' in first &&
    first.host === undefined
  ) {
    return listen.call(this, { ...first, host: '127.0.0.1' }, ...args.slice(1));
  }
  return listen.apply(this, args);
};
