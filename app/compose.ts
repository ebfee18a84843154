/**
 * The composition root: builds the channel adapters and the officers' desk from the
 * configuration (app/channels.ts) and hands them to core. bin/, bench/ and the test support
 * build the service here; nothing else knows which adapters exist.
 *
 * @example
 * ```ts
 * const service = await createService(loadConfig());
 * await service.start();          // listens, starts channels, dispatcher and SLA clock
 * process.on('SIGINT', () => service.stop());
 * ```
 */
import type { ChannelAdapter } from '../core/channel/port.ts';
import type { Config } from '../core/config/index.ts';
import { type Core, type CoreOptions, createCore } from '../core/index.ts';
import { createLogger } from '../core/logger.ts';
import { configuredAdapters, configuredDesk } from './channels.ts';

/** The running service: core with the configured channels and desk. */
export type Service = Core;

export interface ServiceOverrides extends Omit<CoreOptions, 'adapters' | 'desk'> {
  /** Extra channel adapters (tests, the console chat), after the configured ones. */
  adapters?: ChannelAdapter[];
  /** Build no adapter from config (tests drive `intake` directly; the console chat). */
  skipConfiguredChannels?: boolean;
}

export async function createService(config: Config, overrides: ServiceOverrides = {}): Promise<Service> {
  const { adapters: extra = [], skipConfiguredChannels, ...options } = overrides;
  const logger = options.logger ?? createLogger(config.log);
  const deps = { logger };
  const adapters = [...(skipConfiguredChannels ? [] : configuredAdapters(config, deps)), ...extra];
  return createCore(config, { ...options, logger, adapters, desk: configuredDesk(config, deps) });
}
