/**
 * The port-forward WebSocket of the mock API server (subprotocol v4.channel.k8s.io):
 * binary frames whose first byte is the channel (0 data, 1 error); the server's first
 * frame on each channel carries the port as uint16 LE. Data is piped to a local TCP port.
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import net from 'node:net';
import type { Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(payload: Buffer, opcode = 2): Buffer {
  const len = payload.length;
  const header = len < 126 ? Buffer.from([0x80 | opcode, len]) : Buffer.alloc(len < 65536 ? 4 : 10);
  if (len >= 126 && len < 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else if (len >= 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Decodes masked client frames from a growing buffer; returns the rest. */
function decodeFrames(buf: Buffer, onFrame: (opcode: number, payload: Buffer) => void): Buffer {
  let rest = buf;
  for (;;) {
    if (rest.length < 2) return rest;
    const opcode = (rest[0] ?? 0) & 0x0f;
    let len = (rest[1] ?? 0) & 0x7f;
    const masked = ((rest[1] ?? 0) & 0x80) !== 0;
    let offset = 2;
    if (len === 126) {
      if (rest.length < 4) return rest;
      len = rest.readUInt16BE(2);
      offset = 4;
    } else if (len === 127) {
      if (rest.length < 10) return rest;
      len = Number(rest.readBigUInt64BE(2));
      offset = 10;
    }
    const maskLen = masked ? 4 : 0;
    if (rest.length < offset + maskLen + len) return rest;
    const mask = rest.subarray(offset, offset + maskLen);
    const payload = Buffer.from(rest.subarray(offset + maskLen, offset + maskLen + len));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    onFrame(opcode, payload);
    rest = rest.subarray(offset + maskLen + len);
  }
}

function portPrefix(channel: number, port: number): Buffer {
  const b = Buffer.alloc(3);
  b[0] = channel;
  b.writeUInt16LE(port, 1);
  return b;
}

/** Handles an upgrade request; only pods/NAME/portforward is accepted. */
export function acceptPortForward(
  req: http.IncomingMessage,
  socket: Socket,
  target: (path: string) => number | null,
  log: string[],
): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  log.push(`UPGRADE ${url.pathname}${url.search}`);
  const port = target(url.pathname);
  const key = req.headers['sec-websocket-key'];
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim());
  if (!/\/portforward$/.test(url.pathname) || port === null || !key || !offered.includes('v4.channel.k8s.io')) {
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const accept = createHash('sha1').update(`${key}${GUID}`).digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n`,
  );
  const wsPort = Number(url.searchParams.get('ports'));
  socket.write(frame(portPrefix(0, wsPort)));
  socket.write(frame(portPrefix(1, wsPort)));
  const upstream = net.connect(port, '127.0.0.1');
  upstream.on('data', (data: Buffer) => socket.write(frame(Buffer.concat([Buffer.from([0]), data]))));
  const finish = (): void => {
    if (!socket.destroyed) socket.end(frame(Buffer.from([0x03, 0xe8]), 8));
  };
  upstream.on('end', finish);
  upstream.on('error', finish);
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = decodeFrames(Buffer.concat([pending, chunk]), (opcode, payload) => {
      if (opcode === 8) upstream.end();
      else if (opcode === 2 && payload[0] === 0) upstream.write(payload.subarray(1));
    });
  });
  socket.on('close', () => upstream.destroy());
  socket.on('error', () => upstream.destroy());
}
