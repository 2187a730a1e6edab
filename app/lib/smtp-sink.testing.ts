/**
 * For tests: a real SMTP server on a free port that accepts every message, optionally slowly
 * (delayMs before it acknowledges each one, like a busy relay), and keeps what it received.
 */
import { createServer, type Server } from "node:net";

export interface ReceivedEmail {
  to: string;
  subject: string;
}

export interface SmtpSink {
  url: string;
  received: ReceivedEmail[];
  close(): Promise<void>;
}

export async function startSmtpSink(options: { delayMs?: number } = {}): Promise<SmtpSink> {
  const received: ReceivedEmail[] = [];
  const server: Server = createServer((socket) => {
    let buffer = "";
    let inData = false;
    let to = "";
    const reply = (line: string) => socket.writable && socket.write(`${line}\r\n`);
    reply("220 sink ESMTP");
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end === -1) return;
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          // Unfold headers, then read the subject (the tests use plain ASCII subjects).
          const headers = message.split("\r\n\r\n")[0]!.replace(/\r\n[ \t]+/g, " ");
          const subject = /^Subject: (.*)$/im.exec(headers)?.[1] ?? "";
          setTimeout(() => {
            received.push({ to, subject });
            reply("250 queued");
          }, options.delayMs ?? 0);
          continue;
        }
        const newline = buffer.indexOf("\r\n");
        if (newline === -1) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") reply("250 sink");
        else if (verb === "RCPT") {
          to = /<([^>]*)>/.exec(line)?.[1] ?? "";
          reply("250 ok");
        } else if (verb === "DATA") {
          inData = true;
          reply("354 go ahead");
        } else if (verb === "QUIT") {
          reply("221 bye");
          socket.end();
        } else reply("250 ok");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.emit("close");
      }),
  };
}
