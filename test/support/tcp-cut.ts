import { createConnection, createServer, type Socket } from "node:net";

/**
 * A TCP relay to a real server whose link can be cut and restored: while cut, every
 * connection through it is closed and new ones are refused, as when the network between
 * two hosts fails but both servers keep running with their state.
 */
export interface TcpCut {
  port: number;
  cut: () => void;
  restore: () => void;
  close: () => Promise<void>;
}

export const startTcpCut = (target: { host: string; port: number }): Promise<TcpCut> =>
  new Promise((resolve, reject) => {
    let open = true;
    const sockets = new Set<Socket>();
    const track = (socket: Socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    };
    const server = createServer((client) => {
      track(client);
      if (!open) return client.destroy();
      const upstream = createConnection(target);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.once("close", () => upstream.destroy());
      upstream.once("close", () => client.destroy());
    });
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (typeof address !== "object" || !address) return reject(new Error("no port"));
      resolve({
        port: address.port,
        cut: () => {
          open = false;
          for (const socket of sockets) socket.destroy();
        },
        restore: () => {
          open = true;
        },
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
