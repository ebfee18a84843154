/**
 * The shape of what Slack POSTs to the desk, checked once the signature is, before Bolt and our
 * listeners see it: Events API callbacks, interactivity (block_actions, block_suggestion,
 * view_submission, view_closed) and slash commands. A signed request of the wrong shape is
 * answered 200 (Slack retries anything else) and recorded as rejected with the reason. Every
 * string is cleaned first (no NUL, no lone surrogate); bodies nested deeper than any Slack
 * payload are refused without recursing into them. Unknown payload types pass through to Bolt.
 */
import { z } from 'zod';
import { schemaReason } from '../../core/channel/schema-reason.ts';
import { cleanText } from '../../core/intake/sanitise.ts';

/** Slack's deepest payloads (a modal's state) are about ten levels deep. */
const MAX_DEPTH = 40;
const MAX_STRING = 40_000;

const id = z.string().max(256);
const user = z.looseObject({ id });

/** Bolt treats any body with an `event` as an Events API callback, whatever its `type` says. */
const eventCallback = z.looseObject({
  type: z.string().optional(),
  event: z.looseObject({
    type: z.string().max(64),
    subtype: z.string().max(64).optional(),
    user: id.optional(),
    bot_id: id.optional(),
    channel: id.optional(),
    ts: id.optional(),
    thread_ts: id.optional(),
    text: z.string().optional(),
  }),
});

const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user,
  channel: z.looseObject({ id }).optional(),
  trigger_id: id.optional(),
  actions: z.array(z.looseObject({ action_id: id, value: z.string().optional() })).min(1),
});

const blockSuggestion = z.looseObject({
  type: z.literal('block_suggestion'),
  user,
  action_id: id,
  value: z.string(),
  view: z.looseObject({ private_metadata: z.string().optional() }).optional(),
});

const inputValue = z.looseObject({
  value: z.string().nullish(),
  selected_option: z.looseObject({ value: z.string() }).nullish(),
});

const viewSubmission = z.looseObject({
  type: z.literal('view_submission'),
  user,
  view: z.looseObject({
    callback_id: id,
    private_metadata: z.string().optional(),
    state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), inputValue)) }),
  }),
});

const viewClosed = z.looseObject({ type: z.literal('view_closed'), user });

const slashCommand = z.looseObject({
  command: z.string().max(64),
  // Slack leaves `text` out when the officer typed nothing after the command.
  text: z.string().default(''),
  user_id: id,
  channel_id: id,
  trigger_id: id.optional(),
});

/** An object when present (Bolt reads `.id` of these without looking: `null` or a string throws). */
const objectIfPresent = z.looseObject({}).optional();

/**
 * What Bolt itself reads from any body before a listener runs (team, user, channel, enterprise,
 * the event's channel/user/item, the actions list): checked for every body, known type or not.
 */
const boltBase = z.looseObject({
  team: objectIfPresent,
  enterprise: objectIfPresent,
  user: objectIfPresent,
  channel: objectIfPresent,
  view: objectIfPresent,
  message: objectIfPresent,
  container: objectIfPresent,
  actions: z.array(z.looseObject({ action_id: id.optional(), value: z.string().optional() })).optional(),
  // Read by the listeners Bolt picks by these ids, whatever the body's type says.
  action_id: id.optional(),
  value: z.string().optional(),
  callback_id: id.optional(),
  authorizations: z.array(z.looseObject({})).optional(),
  event: z
    .looseObject({
      channel: z.union([z.string(), z.looseObject({})]).optional(),
      user: z.union([z.string(), z.looseObject({})]).optional(),
      item: objectIfPresent,
      subteam: objectIfPresent,
    })
    .optional(),
});

const BY_TYPE: Readonly<Record<string, z.ZodType>> = {
  block_actions: blockActions,
  block_suggestion: blockSuggestion,
  view_submission: viewSubmission,
  view_closed: viewClosed,
};

type Cleaned = { ok: true; value: unknown } | { ok: false; reason: string };

/** Every string cleaned; fails when nested deeper than {@link MAX_DEPTH} (never recursing further). */
function deepClean(value: unknown, depth: number): Cleaned {
  if (typeof value === 'string') return { ok: true, value: cleanText(value, MAX_STRING) };
  if (value === null || typeof value !== 'object') return { ok: true, value };
  if (depth >= MAX_DEPTH) return { ok: false, reason: 'body: nested too deeply' };
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const cleaned = deepClean(item, depth + 1);
      if (!cleaned.ok) return cleaned;
      out.push(cleaned.value);
    }
    return { ok: true, value: out };
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const cleaned = deepClean(item, depth + 1);
    if (!cleaned.ok) return cleaned;
    out[cleanText(key, 256)] = cleaned.value;
  }
  return { ok: true, value: out };
}

export type CheckedSlackBody = { ok: true; body: Record<string, unknown> } | { ok: false; reason: string };

/** Cleans and checks a parsed, signature-verified Slack body; see the module comment. */
export function checkSlackBody(body: Record<string, unknown>): CheckedSlackBody {
  const cleaned = deepClean(body, 0);
  if (!cleaned.ok) return cleaned;
  const value = cleaned.value as Record<string, unknown>;
  const base = boltBase.safeParse(value);
  if (!base.success) return { ok: false, reason: schemaReason(base.error) };
  const schema =
    'command' in value ? slashCommand : 'event' in value ? eventCallback : BY_TYPE[String(value.type)];
  if (!schema) return { ok: true, body: value };
  const result = schema.safeParse(value);
  if (!result.success) {
    const kind = 'command' in value ? 'command' : 'event' in value ? 'event_callback' : String(value.type);
    return { ok: false, reason: `${kind} ${schemaReason(result.error)}` };
  }
  return { ok: true, body: result.data as Record<string, unknown> };
}
