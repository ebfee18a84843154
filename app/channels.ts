/**
 * Which channel adapters exist and how each is built from its slice of the configuration. Adding
 * a channel is one folder under bots/ and one entry here; core never names an adapter.
 *
 * @example
 * ```ts
 * const adapters = configuredAdapters(config, { logger });
 * ```
 */
import { createSlackDesk } from '../bots/slack/index.ts';
import { createSmsAdapter } from '../bots/sms/index.ts';
import { createTelegramAdapter } from '../bots/telegram/index.ts';
import { createWhatsAppWebAdapter } from '../bots/whatsapp/index.ts';
import { createWhatsAppCloudAdapter } from '../bots/whatsapp-cloud/index.ts';
import type { ChannelAdapter, ChannelKind } from '../core/channel/port.ts';
import type { Config } from '../core/config/index.ts';
import type { DeskFactory } from '../core/index.ts';
import type { Logger } from '../core/logger.ts';

export interface ChannelDeps {
  /** The service logger; each adapter gets a child tagged with its channel. */
  logger: Logger;
}

/** Builds a channel's adapter from configuration, or null when the channel is not configured. */
export type ChannelFactory = (config: Config, deps: ChannelDeps) => ChannelAdapter | null;

const child = (deps: ChannelDeps, channel: ChannelKind) => deps.logger.child({ channel });

/** One entry per channel kind, so a new kind cannot be forgotten here (the Record is exhaustive). */
export const CHANNELS: Record<ChannelKind, ChannelFactory> = {
  telegram: (config, deps) =>
    config.telegram ? createTelegramAdapter(config.telegram, { logger: child(deps, 'telegram') }) : null,
  whatsapp: (config, deps) =>
    config.whatsappWeb
      ? createWhatsAppWebAdapter(config.whatsappWeb, { logger: child(deps, 'whatsapp') })
      : null,
  whatsapp_cloud: (config, deps) =>
    config.whatsappCloud
      ? createWhatsAppCloudAdapter(config.whatsappCloud, { logger: child(deps, 'whatsapp_cloud') })
      : null,
  sms: (config, deps) => (config.sms ? createSmsAdapter(config.sms, { logger: child(deps, 'sms') }) : null),
  // The terminal chat builds its console adapter itself (bin/commands/chat.ts): never from config.
  console: () => null,
  // Slack is the officers' desk, not a citizen channel: see DESK below.
  slack: () => null,
};

/** Every citizen channel the configuration turns on, in table order. */
export function configuredAdapters(config: Config, deps: ChannelDeps): ChannelAdapter[] {
  return Object.values(CHANNELS)
    .map((build) => build(config, deps))
    .filter((adapter): adapter is ChannelAdapter => adapter !== null);
}

/** The officers' desk the configuration turns on (Slack), or null. */
export function configuredDesk(config: Config, deps: ChannelDeps): DeskFactory | null {
  const slack = config.slack;
  if (!slack) return null;
  return ({ desk }) => createSlackDesk({ slack, desk, logger: child(deps, 'slack') });
}
