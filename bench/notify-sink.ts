// The SMTP sink of bench/notify.ts, in a process of its own: a real SMTP server (smtp-server)
// that counts what it accepts and keeps nothing. Talks to its parent over IPC.
import { SMTPServer } from 'smtp-server';

let count = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  maxClients: 100,
  onData(stream, _session, cb) {
    stream.on('data', () => {});
    stream.on('end', () => {
      count++;
      cb(null, 'ok');
    });
  },
});
// a client that vanishes mid-session (a killed worker) resets its connection: not the server's failure
server.on('error', () => {});
server.listen(0, '127.0.0.1', () => {
  process.send!({ port: (server.server.address() as { port: number }).port });
});
process.on('message', (m: { id: number }) => {
  const c = process.cpuUsage();
  process.send!({ id: m.id, count, cpuMs: (c.user + c.system) / 1000 });
});
