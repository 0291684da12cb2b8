import { createServer, type Socket } from "node:net";

/**
 * A scripted SMTP relay on loopback, written on node:net (not smtp-server) so that it can break a
 * session at any chosen point: before its greeting, after RCPT TO (DATA never answered), after the
 * whole message (the final dot received, the 250 never sent), in the middle of the message, or by
 * going silent once it has the message. It speaks enough SMTP for nodemailer (greeting, EHLO,
 * optionally PIPELINING and AUTH, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT) and keeps every
 * message it received completely, with its Message-ID, so tests can count duplicates.
 */
export type SmtpDropStage = "before-greeting" | "after-rcpt" | "after-data" | "mid-message";
/** After the message: keep the connection open and answer nothing (the client times out). */
export type SmtpStallStage = "stall-after-data";

/** What the relay does with one connection. */
export type SmtpScript =
  | { kind: "accept" }
  | { kind: "drop"; stage: SmtpDropStage | SmtpStallStage }
  | { kind: "refuse"; at: "rcpt" | "message"; code: number };

export interface ReceivedMessage {
  messageId: string;
  from: string;
  to: string[];
  data: Buffer;
  /** Whether the client was told 250 (false: the relay had it, then dropped or stalled). */
  acknowledged: boolean;
}

export interface ScriptedRelayOptions {
  /** Advertise PIPELINING: nodemailer then sends MAIL FROM, RCPT TO and DATA in one batch. */
  pipelining?: boolean;
  /** Advertise AUTH PLAIN LOGIN and refuse every login with 535. */
  refuseAuth?: boolean;
}

export interface ScriptedRelay {
  port: number;
  /** Every message received completely (up to the final dot), in order. */
  received: ReceivedMessage[];
  /** What each connection was scripted to do, in order. */
  connections: SmtpScript[];
  /** Script the next connections, in order; later ones follow the random mode, or accept. */
  script(...scripts: SmtpScript[]): void;
  /** Break the next `count` connections at this stage. */
  dropNext(stage: SmtpDropStage | SmtpStallStage, count?: number): void;
  /** Refuse the next `count` messages with this reply code, at RCPT TO or after the message. */
  refuseNext(at: "rcpt" | "message", code: number, count?: number): void;
  /** Break this fraction of unscripted connections at a random stage (seeded: repeatable). */
  dropRandomly(fraction: number, seed: number): void;
  /** How many times each Message-ID was received completely. */
  counts(): Map<string, number>;
  /** Forget what was received and scripted; accept everything again. */
  reset(): void;
  close(): Promise<void>;
}

export const DROP_STAGES: readonly SmtpDropStage[] = [
  "before-greeting",
  "after-rcpt",
  "after-data",
  "mid-message",
];

/** mulberry32: a small seeded generator, enough to make a random run repeatable. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** The Message-ID header of a raw message (its value, angle brackets included), or "". */
export const messageIdOf = (data: Buffer): string => {
  const text = data.toString("latin1");
  const end = text.search(/\r?\n\r?\n/u);
  const headers = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/gu, " ");
  return /^Message-ID:\s*(.+?)\s*$/imu.exec(headers)?.[1] ?? "";
};

/** The body received after DATA, up to the final dot, with dot-stuffing undone; undefined while incomplete. */
const completeMessage = (buffer: Buffer): { data: Buffer; rest: Buffer } | undefined => {
  const atStart = buffer.subarray(0, 3).toString("latin1") === ".\r\n";
  const index = atStart ? -2 : buffer.indexOf("\r\n.\r\n", 0, "latin1");
  if (index === -1) return undefined;
  const body = atStart ? "" : buffer.subarray(0, index + 2).toString("latin1");
  const data = Buffer.from(body.replace(/^\.\./gmu, "."), "latin1");
  return { data, rest: buffer.subarray(index + 5) };
};

interface Session {
  socket: Socket;
  script: SmtpScript;
  mode: "command" | "data";
  buffer: Buffer;
  from: string;
  to: string[];
  done: boolean;
}

export const startScriptedRelay = async (options: ScriptedRelayOptions = {}): Promise<ScriptedRelay> => {
  const received: ReceivedMessage[] = [];
  const connections: SmtpScript[] = [];
  const queue: SmtpScript[] = [];
  const sockets = new Set<Socket>();
  let random: { fraction: number; next: () => number } | undefined;

  const nextScript = (): SmtpScript => {
    const scripted = queue.shift();
    if (scripted) return scripted;
    if (random && random.next() < random.fraction) {
      const stage = DROP_STAGES[Math.floor(random.next() * DROP_STAGES.length)] ?? "after-data";
      return { kind: "drop", stage };
    }
    return { kind: "accept" };
  };

  const reply = (s: Session, text: string) => {
    if (!s.done) s.socket.write(`${text}\r\n`);
  };
  /** Hang up: what was already written is flushed, then the connection closes; nothing more is read. */
  const hangUp = (s: Session) => {
    s.done = true;
    s.socket.end();
  };
  const dropsAt = (s: Session, stage: SmtpDropStage | SmtpStallStage) =>
    s.script.kind === "drop" && s.script.stage === stage;
  const refusesAt = (s: Session, at: "rcpt" | "message") =>
    s.script.kind === "refuse" && s.script.at === at ? s.script.code : undefined;

  const ehlo = () => [
    "250-relay.test",
    ...(options.pipelining ? ["250-PIPELINING"] : []),
    ...(options.refuseAuth ? ["250-AUTH PLAIN LOGIN"] : []),
    "250-8BITMIME",
    "250 SIZE 52428800",
  ];

  const onCommand = (s: Session, line: string) => {
    const verb = line.split(/[\s:]/u)[0]?.toUpperCase() ?? "";
    if (verb === "EHLO" || verb === "HELO") return reply(s, ehlo().join("\r\n"));
    if (verb === "AUTH") return reply(s, "535 5.7.8 Authentication credentials invalid");
    if (verb === "MAIL") {
      s.from = /<([^>]*)>/u.exec(line)?.[1] ?? "";
      s.to = [];
      return reply(s, "250 2.1.0 Ok");
    }
    if (verb === "RCPT") {
      const code = refusesAt(s, "rcpt");
      if (code !== undefined)
        return reply(s, `${code} ${code < 500 ? "4.2.1 Try again later" : "5.1.1 No such user"}`);
      s.to.push(/<([^>]*)>/u.exec(line)?.[1] ?? "");
      return reply(s, "250 2.1.5 Ok");
    }
    if (verb === "DATA") {
      if (dropsAt(s, "after-rcpt")) return hangUp(s);
      if (s.to.length === 0) return reply(s, "554 5.5.1 No valid recipients");
      s.mode = "data";
      return reply(s, "354 End data with <CR><LF>.<CR><LF>");
    }
    if (verb === "RSET" || verb === "NOOP") return reply(s, "250 2.0.0 Ok");
    if (verb === "QUIT") {
      reply(s, "221 2.0.0 Bye");
      s.done = true;
      return s.socket.end();
    }
    return reply(s, "502 5.5.2 Command not recognized");
  };

  const onMessage = (s: Session, data: Buffer) => {
    const code = refusesAt(s, "message");
    if (code !== undefined)
      return reply(s, `${code} ${code < 500 ? "4.3.0 Try again later" : "5.6.0 Refused"}`);
    const acknowledged = !dropsAt(s, "after-data") && !dropsAt(s, "stall-after-data");
    received.push({ messageId: messageIdOf(data), from: s.from, to: s.to, data, acknowledged });
    if (dropsAt(s, "after-data")) return hangUp(s);
    // Stalled: it has the message and says nothing; the client's socket timeout ends it.
    if (dropsAt(s, "stall-after-data")) {
      s.done = true;
      return;
    }
    reply(s, `250 2.0.0 Ok: queued as Q${received.length}`);
  };

  const onData = (s: Session, chunk: Buffer) => {
    if (s.done) return;
    s.buffer = Buffer.concat([s.buffer, chunk]);
    while (!s.done) {
      if (s.mode === "data") {
        // Part of the message has come: this one hangs up in the middle of it, keeping nothing.
        if (dropsAt(s, "mid-message")) return s.buffer.length > 0 ? hangUp(s) : undefined;
        const message = completeMessage(s.buffer);
        if (!message) return;
        s.buffer = message.rest;
        s.mode = "command";
        onMessage(s, message.data);
        continue;
      }
      const end = s.buffer.indexOf("\r\n", 0, "latin1");
      if (end === -1) return;
      const line = s.buffer.subarray(0, end).toString("latin1");
      s.buffer = s.buffer.subarray(end + 2);
      onCommand(s, line);
    }
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    const script = nextScript();
    connections.push(script);
    const s: Session = {
      socket,
      script,
      mode: "command",
      buffer: Buffer.alloc(0),
      from: "",
      to: [],
      done: false,
    };
    if (dropsAt(s, "before-greeting")) return hangUp(s);
    socket.on("data", (chunk: Buffer) => onData(s, chunk));
    reply(s, "220 relay.test ESMTP scripted relay");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the relay has no port");

  return {
    port: address.port,
    received,
    connections,
    script: (...scripts) => void queue.push(...scripts),
    dropNext(stage, count = 1) {
      for (let i = 0; i < count; i++) queue.push({ kind: "drop", stage });
    },
    refuseNext(at, code, count = 1) {
      for (let i = 0; i < count; i++) queue.push({ kind: "refuse", at, code });
    },
    dropRandomly(fraction, seed) {
      random = { fraction, next: seededRandom(seed) };
    },
    counts() {
      const counts = new Map<string, number>();
      for (const m of received) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
      return counts;
    },
    reset() {
      received.length = 0;
      connections.length = 0;
      queue.length = 0;
      random = undefined;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
