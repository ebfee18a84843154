import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One `/messages` call the fake Graph API received. */
export interface RecordedGraphRequest {
  version: string;
  phoneNumberId: string;
  authorization: string | undefined;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

interface PlannedFailure {
  status: number;
  retryAfter?: string;
  code?: number;
  message?: string;
}

/**
 * A fake of Meta's Graph API `/messages` endpoint on loopback: records each request body and
 * answers like the Cloud API (`{ messaging_product, contacts, messages: [{ id }] }`), or with a
 * Graph error when told to by {@link FakeWhatsAppCloud.failNext}.
 *
 * @example
 * ```ts
 * const graph = await FakeWhatsAppCloud.start();
 * const adapter = createWhatsAppCloudAdapter({ ...config, graphApiBase: graph.baseUrl });
 * graph.failNext(429, 1, '7');
 * await graph.close();
 * ```
 */
export class FakeWhatsAppCloud {
  readonly requests: RecordedGraphRequest[] = [];
  private failures: PlannedFailure[] = [];
  private counter = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  /** Starts the fake on 127.0.0.1 with a free port. */
  static async start(): Promise<FakeWhatsAppCloud> {
    let fake: FakeWhatsAppCloud | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () =>
        fake?.handle(req.method ?? '', req.url ?? '', req.headers, Buffer.concat(chunks), res),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeWhatsAppCloud(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  /**
   * The next `count` requests fail with `status` and a Graph error body; `retryAfter` is sent
   * as the Retry-After header. `code` defaults to 130429 for 429, 131000 for 5xx, 100 otherwise.
   */
  failNext(
    status: number,
    count = 1,
    retryAfter?: string,
    error: { code?: number; message?: string } = {},
  ): void {
    for (let i = 0; i < count; i++)
      this.failures.push({ status, ...(retryAfter ? { retryAfter } : {}), ...error });
  }

  /** Bodies of the recorded requests, in order. */
  get bodies(): Record<string, unknown>[] {
    return this.requests.map((r) => r.body);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  private handle(
    method: string,
    url: string,
    headers: IncomingHttpHeaders,
    raw: Buffer,
    res: import('node:http').ServerResponse,
  ): void {
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...extra });
      res.end(JSON.stringify(body));
    };
    const match = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(url);
    if (method !== 'POST' || !match) {
      reply(404, { error: { message: 'Unknown path components', type: 'OAuthException', code: 2500 } });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      reply(400, { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 } });
      return;
    }
    this.requests.push({
      version: match[1] ?? '',
      phoneNumberId: decodeURIComponent(match[2] ?? ''),
      authorization: headers.authorization,
      headers,
      body,
    });
    const failure = this.failures.shift();
    if (failure) {
      const code = failure.code ?? (failure.status === 429 ? 130429 : failure.status >= 500 ? 131000 : 100);
      const message =
        failure.message ??
        (failure.status === 429
          ? '(#130429) Rate limit hit'
          : failure.status >= 500
            ? '(#131000) Something went wrong'
            : '(#100) Invalid parameter');
      reply(
        failure.status,
        {
          error: {
            message,
            type: 'OAuthException',
            code,
            error_data: { messaging_product: 'whatsapp', details: message },
            fbtrace_id: 'AbCdEf',
          },
        },
        failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
      );
      return;
    }
    this.counter += 1;
    const to = String(body.to ?? '');
    reply(200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: to }],
      messages: [{ id: `wamid.FAKE${String(this.counter).padStart(6, '0')}` }],
    });
  }
}

/**
 * An `app.inject` request for POST /webhooks/whatsapp signed like Meta does: `sha256=` + hex
 * HMAC-SHA256 of the exact payload bytes with the app secret. Strings are signed and sent
 * verbatim (to test whitespace and malformed JSON); anything else is JSON-serialised first.
 */
export function signedWebhookPost(
  body: unknown,
  appSecret: string,
): { method: 'POST'; url: string; payload: string; headers: Record<string, string> } {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = createHmac('sha256', appSecret).update(payload, 'utf8').digest('hex');
  return {
    method: 'POST',
    url: '/webhooks/whatsapp',
    payload,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
  };
}

/** Builders of real `messages` webhook payloads (field `messages`, one entry, one change). */
export const cloudWebhook = {
  /** Wraps messages and statuses in the envelope Meta sends. */
  envelope(value: {
    messages?: unknown[];
    statuses?: unknown[];
    contacts?: unknown[];
  }): Record<string, unknown> {
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '6281100001111', phone_number_id: '106540352242922' },
                ...value,
              },
            },
          ],
        },
      ],
    };
  },

  /** A citizen's message of the given type; `content` is the type's own object (text, image…). */
  message(
    type: string,
    content: Record<string, unknown>,
    overrides: { from?: string; id?: string; timestamp?: string } = {},
  ): Record<string, unknown> {
    return {
      from: overrides.from ?? '6281234567890',
      id: overrides.id ?? `wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA${type.toUpperCase()}`,
      timestamp: overrides.timestamp ?? '1750000000',
      type,
      ...content,
    };
  },

  /** The contact block Meta puts next to messages (gives the display name). */
  contact(waId = '6281234567890', name = 'Siti Aminah'): Record<string, unknown> {
    return { profile: { name }, wa_id: waId };
  },

  status(id: string, status: string, errors?: unknown[]): Record<string, unknown> {
    return {
      id,
      status,
      timestamp: '1750000100',
      recipient_id: '6281234567890',
      ...(errors ? { errors } : {}),
    };
  },
};
