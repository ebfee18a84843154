import { createHmac } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One outbound SMS the fake gateway accepted (or refused, when a failure was planned). */
export interface RecordedSms {
  style: 'twilio' | 'json';
  to: string;
  text: string;
  from?: string;
  messagingServiceSid?: string;
  accountSid?: string;
  authorization?: string;
  /** HTTP status the fake answered. */
  status: number;
  /** Id the fake gave an accepted message (Twilio SM… sid or JSON id). */
  id?: string;
}

interface PlannedFailure {
  status: number;
  retryAfter?: string;
}

/**
 * A fake SMS gateway on loopback that speaks both styles the SMS adapter uses:
 * - Twilio: `POST /2010-04-01/Accounts/{sid}/Messages.json` (form To, From/MessagingServiceSid,
 *   Body; Basic auth), answering 201 with a Message resource or Twilio's error JSON;
 * - JSON: `POST /send` with `{ to, text, from? }` (Bearer key), answering `{ id, status }`.
 *
 * @example
 * ```ts
 * const gateway = await FakeSmsGateway.start();
 * const sms = createSmsAdapter({ provider: 'json', publicUrl, json: { sharedSecret, sendUrl: gateway.jsonSendUrl } });
 * gateway.failNext(503);
 * ```
 */
export class FakeSmsGateway {
  /** Every send request, including refused ones (see `status`). */
  readonly requests: RecordedSms[] = [];
  /** Planned outcomes of the next requests: a failure, or `null` for a normal answer. */
  private failures: (PlannedFailure | null)[] = [];
  private counter = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeSmsGateway> {
    let fake: FakeSmsGateway | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () =>
        fake?.handle(
          req.method ?? '',
          req.url ?? '',
          req.headers.authorization,
          Buffer.concat(chunks).toString('utf8'),
          res,
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSmsGateway(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  /** URL for the JSON style's `sendUrl`. */
  get jsonSendUrl(): string {
    return `${this.baseUrl}/send`;
  }

  /** Messages accepted (2xx), in order. */
  get sent(): RecordedSms[] {
    return this.requests.filter((r) => r.status < 300);
  }

  /** The next `count` send requests fail with `status` (Retry-After header when given). */
  failNext(status: number, count = 1, retryAfter?: string): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, ...(retryAfter ? { retryAfter } : {}) });
  }

  /** The next `count` requests are answered normally before any planned failure (to fail a later part). */
  passNext(count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(null);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  private handle(
    method: string,
    url: string,
    authorization: string | undefined,
    body: string,
    res: ServerResponse,
  ) {
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    const twilio = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url);
    let record: RecordedSms;
    if (method === 'POST' && twilio) {
      const form = new URLSearchParams(body);
      record = {
        style: 'twilio',
        to: form.get('To') ?? '',
        text: form.get('Body') ?? '',
        ...(form.get('From') ? { from: form.get('From') ?? '' } : {}),
        ...(form.get('MessagingServiceSid')
          ? { messagingServiceSid: form.get('MessagingServiceSid') ?? '' }
          : {}),
        accountSid: decodeURIComponent(twilio[1] ?? ''),
        ...(authorization ? { authorization } : {}),
        status: 201,
      };
    } else if (method === 'POST' && url === '/send') {
      let json: { to?: string; text?: string; from?: string };
      try {
        json = JSON.parse(body) as typeof json;
      } catch {
        reply(400, { error: 'invalid JSON' });
        return;
      }
      record = {
        style: 'json',
        to: json.to ?? '',
        text: json.text ?? '',
        ...(json.from ? { from: json.from } : {}),
        ...(authorization ? { authorization } : {}),
        status: 200,
      };
    } else {
      reply(404, { error: 'not found' });
      return;
    }

    const failure = this.failures.shift();
    if (failure) {
      record.status = failure.status;
      this.requests.push(record);
      const extra: Record<string, string> = failure.retryAfter ? { 'retry-after': failure.retryAfter } : {};
      if (record.style === 'twilio') {
        const code = failure.status === 429 ? 20429 : failure.status >= 500 ? 20500 : 21211;
        const message =
          failure.status === 429
            ? 'Too Many Requests'
            : failure.status >= 500
              ? 'Internal Server Error'
              : `The 'To' number ${record.to} is not a valid phone number.`;
        reply(
          failure.status,
          { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status: failure.status },
          extra,
        );
      } else {
        reply(
          failure.status,
          {
            error:
              failure.status === 429
                ? 'rate limited'
                : failure.status >= 500
                  ? 'gateway down'
                  : 'invalid number',
          },
          extra,
        );
      }
      return;
    }
    this.requests.push(record);
    this.counter += 1;
    if (record.style === 'twilio') {
      const sid = `SM${String(this.counter).padStart(32, '0')}`;
      record.id = sid;
      reply(201, {
        sid,
        status: 'queued',
        to: record.to,
        from: record.from ?? null,
        body: record.text,
        num_segments: '1',
      });
    } else {
      record.id = `msg-${this.counter}`;
      reply(200, { id: record.id, status: 'queued' });
    }
  }
}

/**
 * Signs a Twilio webhook like Twilio does (written independently of the adapter's check):
 * base64 HMAC-SHA1 over the URL followed by each parameter's name and value, sorted by name.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

/** An `app.inject` request for POST /webhooks/sms/twilio, form-encoded and signed for `publicUrl`. */
export function signedTwilioPost(
  params: Record<string, string>,
  authToken: string,
  publicUrl: string,
  path = '/webhooks/sms/twilio',
): { method: 'POST'; url: string; payload: string; headers: Record<string, string> } {
  return {
    method: 'POST',
    url: path,
    payload: new URLSearchParams(params).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(authToken, publicUrl + path, params),
    },
  };
}

/** An `app.inject` request for POST /webhooks/sms/json with X-Signature = hex HMAC-SHA256 of the exact body. */
export function signedJsonGatewayPost(
  body: unknown,
  sharedSecret: string,
): { method: 'POST'; url: string; payload: string; headers: Record<string, string> } {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    method: 'POST',
    url: '/webhooks/sms/json',
    payload,
    headers: {
      'content-type': 'application/json',
      'x-signature': createHmac('sha256', sharedSecret).update(payload).digest('hex'),
    },
  };
}

/** A Twilio inbound SMS webhook's form parameters, as Twilio sends them. */
export function twilioInboundParams(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ToCountry: 'ID',
    ToState: '',
    SmsMessageSid: 'SM0f5c3a2f9b1e4d7c8a6b5e4d3c2b1a09',
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: 'SM0f5c3a2f9b1e4d7c8a6b5e4d3c2b1a09',
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: 'Jalan di depan SDN 2 Kalimanah berlubang besar',
    FromCountry: 'ID',
    To: '+6281100001111',
    NumSegments: '1',
    MessageSid: 'SM0f5c3a2f9b1e4d7c8a6b5e4d3c2b1a09',
    AccountSid: 'AC00000000000000000000000000000001',
    From: '+6281234567890',
    ApiVersion: '2010-04-01',
    ...overrides,
  };
}
