import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { dispatchFairly, TurnQueue } from './fair-dispatch.ts';

/** A request as the dispatcher sees it: only its socket matters. */
const fakeRequest = (socket: object, name: string) => ({ socket, name }) as unknown as IncomingMessage;
const fakeResponse = {} as ServerResponse;

describe('the turn queue', () => {
  it('gives back requests by turn, and equal turns in arrival order', () => {
    const queue = new TurnQueue();
    const turns = Array.from({ length: 500 }, (_, i) => ({ turn: (i * 7919) % 37, seq: i }));
    for (const { turn, seq } of turns) queue.push({ request: fakeRequest({}, String(seq)), response: fakeResponse, turn, seq });
    const out = Array.from({ length: turns.length }, () => queue.shift()!);
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
    expect(out.map(({ turn, seq }) => ({ turn, seq }))).toEqual([...turns].sort((a, b) => a.turn - b.turn || a.seq - b.seq));
  });
});

describe('fair dispatch', () => {
  it('serves the connection that was served longest ago first, every waiting request in one event-loop turn', async () => {
    const server = createServer();
    const handled: string[] = [];
    const turns: number[] = [];
    let clock = 0;
    server.on('request', (request: IncomingMessage & { name: string }) => {
      handled.push(request.name);
      turns.push(clock);
    });
    dispatchFairly(server, () => clock);
    const [a, b, c] = [{}, {}, {}];

    // First requests on three connections, seen at 1, 2, 3: handed on together in the next turn, in that order.
    for (const [socket, name] of [[a, 'a1'], [b, 'b1'], [c, 'c1']] as const) {
      clock++;
      server.emit('request', fakeRequest(socket, name), fakeResponse);
    }
    expect(handled).toEqual([]);
    clock = 10;
    await nextTurn();
    expect(handled).toEqual(['a1', 'b1', 'c1']);
    expect(turns).toEqual([10, 10, 10]);

    // Served again one at a time: a at 11, b at 12, c at 13.
    for (const [socket, name, at] of [[a, 'a2', 11], [b, 'b2', 12], [c, 'c2', 13]] as const) {
      clock = at;
      server.emit('request', fakeRequest(socket, name), fakeResponse);
      await nextTurn();
    }
    expect(handled.slice(3)).toEqual(['a2', 'b2', 'c2']);
    // Next requests reach the server as c, b, a (the order epoll may report them in), and a new
    // connection d comes last: a was served longest ago, so it goes first; d waits its turn.
    const d = {};
    clock = 20;
    for (const [socket, name] of [[c, 'c3'], [b, 'b3'], [a, 'a3'], [d, 'd1']] as const) server.emit('request', fakeRequest(socket, name), fakeResponse);
    expect(handled).toHaveLength(6);
    await nextTurn();
    expect(handled.slice(6)).toEqual(['a3', 'b3', 'c3', 'd1']);
  });

  it('leaves a request that arrives during a turn to the next turn, ahead of connections served since', async () => {
    const server = createServer();
    const handled: string[] = [];
    let clock = 0;
    const [a, b, c] = [{}, {}, {}];
    server.on('request', (request: IncomingMessage & { name: string }) => {
      handled.push(request.name);
      // While a1 is handled, a request comes in on c, whose connection was last served at 1: it
      // waits for the next turn even so, and b1, which was waiting when this turn began, goes now.
      if (request.name === 'a1') server.emit('request', fakeRequest(c, 'c2'), fakeResponse);
    });
    dispatchFairly(server, () => clock);
    clock = 1;
    server.emit('request', fakeRequest(c, 'c1'), fakeResponse);
    await nextTurn();
    clock = 5;
    server.emit('request', fakeRequest(a, 'a1'), fakeResponse);
    server.emit('request', fakeRequest(b, 'b1'), fakeResponse);
    await nextTurn();
    expect(handled).toEqual(['c1', 'a1', 'b1']);
    clock = 9;
    server.emit('request', fakeRequest(a, 'a2'), fakeResponse);
    await nextTurn();
    expect(handled).toEqual(['c1', 'a1', 'b1', 'c2', 'a2']);
  });

  it('keeps the order of requests pipelined on one connection', async () => {
    const server = createServer();
    const handled: string[] = [];
    server.on('request', (request: IncomingMessage & { name: string }) => handled.push(request.name));
    dispatchFairly(server, () => 0);
    const socket = {};
    for (const name of ['1', '2', '3']) server.emit('request', fakeRequest(socket, name), fakeResponse);
    for (let i = 0; i < 3; i++) await nextTurn();
    expect(handled).toEqual(['1', '2', '3']);
  });

  it('answers every request of many keep-alive and pipelining connections on a real socket', async () => {
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'text/plain');
      response.end(`answer to ${request.url};`);
    });
    dispatchFairly(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const ask = async (connection: number) => {
        const socket: Socket = connect(port, '127.0.0.1');
        await once(socket, 'connect');
        // Three pipelined requests in one write, then the answers must come back in order.
        const paths = [0, 1, 2].map((i) => `/c${connection}/r${i}`);
        socket.write(paths.map((p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''));
        let text = '';
        socket.setEncoding('latin1');
        for await (const chunk of socket) {
          text += chunk as string;
          if ((text.match(/answer to [^;]+;/g) ?? []).length === 3) break;
        }
        socket.destroy();
        return [...text.matchAll(/answer to ([^;]+);/g)].map((m) => m[1]);
      };
      const answers = await Promise.all(Array.from({ length: 12 }, (_, c) => ask(c)));
      answers.forEach((got, c) => expect(got).toEqual([0, 1, 2].map((i) => `/c${c}/r${i}`)));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
