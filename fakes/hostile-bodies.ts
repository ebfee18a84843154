/**
 * Arbitraries (fast-check) of webhook bodies: a real payload shape of each edge with one or two
 * fields replaced by hostile values (wrong types, NUL, lone surrogates, huge or negative
 * numbers, deep nesting), or a random JSON value altogether. Shared by the fuzz tests and
 * `npm run drill -- --fuzz`.
 */
import fc from 'fast-check';
import type { Edge } from './hostile-service.ts';

/** A name and a word that stand for personal data: `npm run drill -- --fuzz` looks for them in the logs. */
export const MARK_NAME = 'Sumarsihdrill';
export const MARK_TEXT = 'penandadrill';
/** Chat ids (700000–704999) and phone numbers (62813 + 8 digits) the bodies use, in any log form. */
export const ADDRESS_PATTERN = /\b70[0-4]\d{3}\b|813\d{8}/;

/** A JSON value nested `depth` levels deep. */
export function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udc00', '', ' ', '+6281234567890', '1e20'),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(1e20, -1e20, 0, -1, Number.MAX_SAFE_INTEGER + 2),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constantFrom(50, 2_000).map(nested),
);

type Path = (string | number)[];

/** Sets `path` in `target` (a fresh template, changed in place) to `value`. */
function setPath(target: unknown, path: Path, value: unknown): unknown {
  const copy = target as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path[path.length - 1] as string | number] = value;
  return copy;
}

/** A valid body of the edge, built fresh with the given unique number. */
function template(edge: Edge, n: number): { body: unknown; paths: Path[] } {
  const phone = `62813${String(10_000_000 + (n % 89_999_999)).padStart(8, '0')}`;
  switch (edge) {
    case 'telegram':
      return {
        body: {
          update_id: 800_000_000 + n,
          message: {
            message_id: n,
            date: 1_750_000_000,
            chat: { id: 700_000 + (n % 5_000), type: 'private', first_name: MARK_NAME },
            from: { id: 700_000 + (n % 5_000), is_bot: false, first_name: MARK_NAME, language_code: 'id' },
            text: `jalan berlubang di depan balai desa ${MARK_TEXT}`,
          },
        },
        paths: [
          ['message', 'text'],
          ['message', 'caption'],
          ['message', 'photo'],
          ['message', 'location'],
          ['message', 'from', 'first_name'],
          ['message', 'from', 'language_code'],
          ['message', 'chat', 'id'],
          ['message', 'chat'],
          ['message', 'message_id'],
          ['message', 'date'],
          ['message', 'sticker'],
          ['update_id'],
          ['callback_query'],
          ['message'],
        ],
      };
    case 'whatsapp':
      return {
        body: {
          object: 'whatsapp_business_account',
          entry: [
            {
              id: '102290129340398',
              changes: [
                {
                  field: 'messages',
                  value: {
                    messaging_product: 'whatsapp',
                    contacts: [{ wa_id: phone, profile: { name: MARK_NAME } }],
                    messages: [
                      {
                        from: phone,
                        id: `wamid.fuzz${n}`,
                        timestamp: '1750000000',
                        type: 'text',
                        text: { body: `lampu jalan mati sejak minggu lalu ${MARK_TEXT}` },
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
        paths: [
          ['entry', 0, 'changes', 0, 'value', 'messages', 0, 'text', 'body'],
          ['entry', 0, 'changes', 0, 'value', 'messages', 0, 'text'],
          ['entry', 0, 'changes', 0, 'value', 'messages', 0, 'from'],
          ['entry', 0, 'changes', 0, 'value', 'messages', 0, 'id'],
          ['entry', 0, 'changes', 0, 'value', 'messages', 0, 'timestamp'],
          ['entry', 0, 'changes', 0, 'value', 'messages', 0, 'type'],
          ['entry', 0, 'changes', 0, 'value', 'messages', 0, 'location'],
          ['entry', 0, 'changes', 0, 'value', 'messages', 0, 'image'],
          ['entry', 0, 'changes', 0, 'value', 'messages', 1],
          ['entry', 0, 'changes', 0, 'value', 'contacts', 0, 'profile', 'name'],
          ['entry', 0, 'changes', 0, 'value', 'errors'],
          ['entry', 0, 'changes', 0, 'value', 'statuses'],
          ['entry', 0, 'changes', 0, 'value'],
          ['entry', 0, 'changes'],
          ['entry'],
        ],
      };
    case 'sms':
      return {
        body: {
          id: `fuzz-sms-${n}`,
          from: `0${phone.slice(2)}`,
          text: `sampah menumpuk di pasar ${MARK_TEXT}`,
          receivedAt: 1_750_000_000,
        },
        paths: [['id'], ['from'], ['text'], ['receivedAt']],
      };
    case 'slack_events':
      return {
        body: {
          type: 'event_callback',
          team_id: 'T0LAPOR',
          event: {
            type: 'message',
            channel: 'C0ADMIN',
            user: 'U0FUZZ',
            text: 'catatan',
            ts: `${n}.1`,
            thread_ts: '1.1',
          },
        },
        paths: [
          ['event'],
          ['event', 'text'],
          ['event', 'thread_ts'],
          ['event', 'user'],
          ['event', 'type'],
          ['type'],
        ],
      };
    case 'slack_form':
      return {
        body: {
          type: n % 3 === 0 ? 'block_actions' : n % 3 === 1 ? 'block_suggestion' : 'view_submission',
          user: { id: 'U0FUZZ' },
          action_id: 'lapor_agency',
          value: 'dinas',
          channel: { id: 'C0ADMIN' },
          trigger_id: 'fuzz',
          actions: [{ action_id: 'lapor_resolve', value: '{"r":"x","a":"y"}' }],
          view: {
            callback_id: 'lapor_modal_reply',
            private_metadata: '{"r":"x","a":"y","c":"C0ADMIN"}',
            state: { values: { text: { text: { value: 'balasan' } } } },
          },
        },
        paths: [
          ['actions'],
          ['actions', 0, 'value'],
          ['value'],
          ['view'],
          ['view', 'state'],
          ['view', 'private_metadata'],
          ['user'],
          ['type'],
        ],
      };
    case 'slack_command':
      return {
        body: { command: '/lapor', text: 'LPR-7KQ-9M4-XTW', user_id: 'U0FUZZ', channel_id: 'C0ADMIN' },
        paths: [['text'], ['command'], ['user_id'], ['channel_id']],
      };
  }
}

let counter = 0;

/** Bodies for one edge: mostly a real shape with one or two fields replaced, sometimes anything. */
export function bodyFor(edge: Edge): fc.Arbitrary<unknown> {
  const mutated = fc
    .tuple(fc.nat(), fc.array(fc.tuple(fc.nat(), hostileValue), { minLength: 1, maxLength: 2 }))
    .map(([, changes]) => {
      const { body, paths } = template(edge, ++counter);
      let out = body;
      for (const [pick, value] of changes) out = setPath(out, paths[pick % paths.length] as Path, value);
      return out;
    });
  return fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
}

/** The valid body of the edge (a citizen's message, an officer's request), unique per call. */
export function validBody(edge: Edge): unknown {
  return template(edge, ++counter).body;
}
