import { z } from "#app/lib/zod.ts";

/**
 * Every environment variable Cohort reads, validated once. README.md documents the same
 * list; keep them in step.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().optional(),
  // Comma-separated addresses of reverse proxies whose X-Forwarded-For is believed, or
  // "loopback"; unset means the client address is the socket's.
  TRUST_PROXY: z.string().optional(),
  // The public origin (https://cohort.example.com) when the Host header cannot be trusted.
  APP_ORIGIN: z.string().url().optional(),
  // "off" when a proxy in front compresses answers; otherwise the server gzips text itself.
  COMPRESSION: z.enum(["on", "off"]).default("on"),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  SEED_DEMO: z.enum(["0", "1"]).optional(),
  DEMO_PASSWORD: z.string().min(8).optional(),
  // smtp://user:pass@host:587 or smtps://…; unset, email waits in the outbox at /admin/outbox.
  SMTP_URL: z.string().optional(),
  EMAIL_FROM: z.string().default("Cohort <cohort@localhost>"),
  // "open" lets anyone sign up; by default only invited people can.
  SIGNUP: z.enum(["invitation", "open"]).default("invitation"),
  // Comma-separated host names or addresses that webhooks may reach although they are
  // internal (loopback, private, link-local…); unset, only public addresses are reached.
  WEBHOOK_ALLOW_HOSTS: z.string().optional(),
  // Where attachment files go: an S3-compatible bucket (s3://KEY:SECRET@bucket/prefix?endpoint=…&region=…),
  // else a local directory (default data/attachments).
  STORAGE_URL: z.string().startsWith("s3://").optional(),
  ATTACHMENTS_DIR: z.string().optional(),
});

export type Env = z.infer<typeof schema>;

let cached: Env | null = null;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
      throw new Error(`Invalid environment variables:\n${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}
