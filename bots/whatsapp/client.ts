import { join } from 'node:path';

/**
 * The part of whatsapp-web.js's `Client` the adapter uses. The real `Client` satisfies it
 * (checked at type level in test/e2e/whatsapp-web-adapter.test.ts), and so does the
 * EventEmitter fake in fakes/wweb-client.ts.
 */
export interface WhatsAppClientLike {
  on(
    event: 'qr' | 'ready' | 'message' | 'disconnected' | 'auth_failure',
    // biome-ignore lint/suspicious/noExplicitAny: EventEmitter's listener type; each event passes different arguments.
    listener: (...args: any[]) => void,
  ): unknown;
  initialize(): Promise<void>;
  sendMessage(chatId: string, content: string): Promise<{ id: { _serialized: string } }>;
  destroy(): Promise<void>;
}

/**
 * The fields of a whatsapp-web.js `Message` the adapter reads (all present on the real one;
 * `getContact` and `_data` are optional so fakes can leave them out).
 */
export interface WhatsAppMessageLike {
  id: { _serialized: string };
  /** Chat id of the sender: '6281234567890@c.us', '…@g.us' (group), 'status@broadcast', '…@lid'. */
  from: string;
  fromMe: boolean;
  /** Text, or the caption of a media message. For `location` it is a thumbnail, not text. */
  body: string;
  /** 'chat' | 'image' | 'video' | 'audio' | 'ptt' | 'document' | 'sticker' | 'location' | 'vcard' | … */
  type: string;
  hasMedia: boolean;
  /** Unix seconds. */
  timestamp?: number;
  isStatus?: boolean;
  broadcast?: boolean;
  /** The real Location types these as strings although WhatsApp Web hands numbers. */
  location?: { latitude: number | string; longitude: number | string; description?: string };
  /** Resolves a privacy id (`…@lid`) sender to a contact with a phone `number`. */
  getContact?: () => Promise<{ number?: string | null; pushname?: string | null }>;
  _data?: { notifyName?: string; mimetype?: string };
}

/** How to run the WhatsApp Web session. */
export interface WhatsAppWebConfig {
  /** Data directory of the service; the session is kept in `<dataDir>/whatsapp`. */
  dataDir: string;
  /** Chrome/Chromium binary (e.g. /usr/bin/chromium). Puppeteer's own download is disabled. */
  chromePath?: string;
  /** Distinguishes several sessions in the same data directory (letters, digits, - and _). */
  clientId?: string;
}

/** Chrome flags for a headless server: root in containers needs --no-sandbox; the rest trims background work. */
export const WHATSAPP_CHROME_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Builds the real whatsapp-web.js `Client` with `LocalAuth` under `<dataDir>/whatsapp` and a
 * headless Chrome. whatsapp-web.js is CommonJS and pulls in puppeteer, so it is imported here,
 * only when a real session is wanted, never when the module is loaded.
 *
 * @example
 * ```ts
 * const client = await createWhatsAppWebClient({ dataDir: './data', chromePath: '/usr/bin/chromium' });
 * ```
 */
export async function createWhatsAppWebClient(config: WhatsAppWebConfig): Promise<WhatsAppClientLike> {
  // CommonJS through ESM: module.exports is the default export (named exports depend on cjs-module-lexer).
  const { Client, LocalAuth } = (await import('whatsapp-web.js')).default;
  return new Client({
    authStrategy: new LocalAuth({
      dataPath: join(config.dataDir, 'whatsapp'),
      ...(config.clientId ? { clientId: config.clientId } : {}),
    }),
    puppeteer: {
      headless: true,
      ...(config.chromePath ? { executablePath: config.chromePath } : {}),
      args: [...WHATSAPP_CHROME_ARGS],
    },
  });
}
