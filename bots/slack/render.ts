/**
 * Block Kit for the officers' desk: the root message of a report (its thread is the report's
 * conversation), the lines posted into the thread, the modals behind the buttons and the
 * `/lapor` answer. Texts for officers are in Bahasa Indonesia. Everything derived from the
 * report goes through {@link textForDesk}, so confidential reports are masked in one place.
 */
import type { types } from '@slack/bolt';
import {
  type HistoryEvent,
  OFFICER_LABELS,
  officerLabel,
  type ReportCard,
  type ReportRow,
  reporterLabel,
  type SentKind,
  textForDesk,
} from '../../core/desk/index.ts';
import {
  type ActorRole,
  allowedActions,
  type LifecycleAction,
  STATUS_LABELS,
} from '../../core/lifecycle/index.ts';
import { CATEGORY_LABELS, type CategoryId } from '../../dialogs/categories.ts';
import { formatDate } from '../../dialogs/texts.ts';

type KnownBlock = types.KnownBlock;
type ModalView = types.ModalView;
type PlainTextOption = types.PlainTextOption;

/**
 * Prefix that sends a thread message to the citizen. Everything else in a report's thread is an
 * internal note: replying to the citizen must be a deliberate act (Chatwoot's lesson).
 */
export const CITIZEN_REPLY_PREFIX = '!balas';

/** Slack limits we stay within. */
const LIMIT = { section: 2900, field: 1900, header: 150, button: 75, option: 75, context: 1900 } as const;

/** Action ids of the report buttons. */
export const ACTION_IDS = {
  accept: 'lapor_accept',
  requestInfo: 'lapor_request_info',
  reply: 'lapor_reply',
  forward: 'lapor_forward',
  resolve: 'lapor_resolve',
  postpone: 'lapor_postpone',
  resume: 'lapor_resume',
} as const;

/** Modal kinds: each is one officer action with a text. */
export type ModalKind = 'request_info' | 'reply' | 'forward' | 'resolve' | 'postpone';

/** Callback id of each modal. */
export const MODAL_CALLBACK_IDS: Record<ModalKind, string> = {
  request_info: 'lapor_modal_request_info',
  reply: 'lapor_modal_reply',
  forward: 'lapor_modal_forward',
  resolve: 'lapor_modal_resolve',
  postpone: 'lapor_modal_postpone',
};

/** Block and action ids inside the modals. */
export const MODAL_FIELDS = {
  text: { block: 'text', action: 'value' },
  agency: { block: 'agency', action: 'agency' },
} as const;

/** What a button carries: the report and the agency it belonged to when the message was drawn. */
export interface ButtonValue {
  r: string;
  a: string;
}

/** What a modal carries between opening and submission. */
export interface ModalMetadata extends ButtonValue {
  /** Channel the button was pressed in. */
  c: string;
  k: ModalKind;
}

export type { HistoryEvent, ReportCard, SentKind };

/**
 * Escapes the three characters Slack's mrkdwn reserves.
 *
 * @example
 * ```ts
 * escapeMrkdwn('<b> & co'); // '&lt;b&gt; &amp; co'
 * ```
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Plain text from a Slack message: entities decoded, links and mentions made readable.
 *
 * @example
 * ```ts
 * slackToPlain('lihat <https://pu.go.id|jadwal> &amp; <@U123>'); // 'lihat jadwal (https://pu.go.id) & @U123'
 * ```
 */
export function slackToPlain(text: string): string {
  return text
    .replace(/<(https?:[^>|]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/<mailto:([^>|]+)(?:\|[^>]+)?>/g, '$1')
    .replace(/<#[A-Z0-9]+\|([^>]+)>/g, '#$1')
    .replace(/<@[A-Z0-9]+\|([^>]+)>/g, '@$1')
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * The officer's text after the reply prefix, or null when the message is an internal note.
 * Slack delivers `!balas` as typed; the prefix must be followed by whitespace or the end.
 *
 * @example
 * ```ts
 * citizenReplyText('!balas Kami cek besok'); // 'Kami cek besok'
 * citizenReplyText('!balasan nanti');        // null (an internal note)
 * ```
 */
export function citizenReplyText(messageText: string): string | null {
  const trimmed = messageText.trimStart();
  if (!trimmed.toLowerCase().startsWith(CITIZEN_REPLY_PREFIX)) return null;
  const rest = trimmed.slice(CITIZEN_REPLY_PREFIX.length);
  if (rest !== '' && !/^\s/.test(rest)) return null;
  return rest.trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

/** The officers' (Indonesian) label of a category id; unknown ids are shown as they are. */
export function categoryLabel(category: string): string {
  return CATEGORY_LABELS[category as CategoryId]?.id ?? category;
}

/** The Indonesian label of a status. */
export function statusLabel(status: ReportRow['status']): string {
  return STATUS_LABELS[status].id;
}

function dueLabel(report: ReportRow): string {
  if (!report.dueAt) return '-';
  const kind = report.dueKind ? officerLabel('dueKinds', report.dueKind) : undefined;
  return `${formatDate('id', report.dueAt)}${kind ? ` (batas ${kind})` : ''}`;
}

const BUTTONS: {
  id: string;
  action: LifecycleAction & keyof typeof OFFICER_LABELS.actions;
  style?: 'primary' | 'danger';
}[] = [
  { id: ACTION_IDS.accept, action: 'accept', style: 'primary' },
  { id: ACTION_IDS.requestInfo, action: 'request_info' },
  { id: ACTION_IDS.reply, action: 'follow_up' },
  { id: ACTION_IDS.forward, action: 'forward' },
  { id: ACTION_IDS.resolve, action: 'resolve', style: 'primary' },
  { id: ACTION_IDS.postpone, action: 'postpone' },
  { id: ACTION_IDS.resume, action: 'resume' },
];

/** Lifecycle actions a role may start from the root message (forwarding also verifies for admins). */
export function deskActions(status: ReportRow['status'], role: ActorRole): LifecycleAction[] {
  const allowed = allowedActions(status, role);
  if (role === 'admin' && (status === 'diterima' || status === 'terverifikasi')) allowed.push('forward');
  return allowed;
}

/** The fallback text of the root message (notifications, screen readers): no personal data. */
export function rootFallbackText(report: ReportRow): string {
  return `Laporan ${report.trackingId}: ${categoryLabel(report.category)} — ${statusLabel(report.status)}`;
}

function reportFields(card: ReportCard): KnownBlock[] {
  const { report } = card;
  const field = (title: string, value: string) => ({
    type: 'mrkdwn' as const,
    text: clip(`*${title}*\n${escapeMrkdwn(value)}`, LIMIT.field),
  });
  return [
    {
      type: 'header',
      text: { type: 'plain_text', text: clip(`📣 Laporan ${report.trackingId}`, LIMIT.header) },
    },
    {
      type: 'section',
      fields: [
        field('Kategori', categoryLabel(report.category)),
        field('Wilayah', report.regionName ?? '-'),
        field('Jenis', officerLabel('reportTypes', report.type)),
        field('Privasi', officerLabel('privacy', report.privacy)),
        field('Status', statusLabel(report.status)),
        field('Batas waktu', dueLabel(report)),
        field('Instansi', card.agencyName),
        field('Pelapor', reporterLabel(report.privacy, card.reporter)),
      ],
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `*Ringkasan*\n${escapeMrkdwn(textForDesk(report.privacy, report.description))}`,
          LIMIT.section,
        ),
      },
    },
  ];
}

/**
 * The root message of a report in its agency's channel: details, the buttons the channel's role
 * may use in the current status, and how to reply to the citizen.
 */
export function rootMessageBlocks(card: ReportCard): KnownBlock[] {
  const { report } = card;
  const value = JSON.stringify({ r: report.id, a: report.agencyCode } satisfies ButtonValue);
  const actions = deskActions(report.status, card.role);
  const buttons = BUTTONS.filter((b) => actions.includes(b.action)).map((b) => ({
    type: 'button' as const,
    action_id: b.id,
    text: { type: 'plain_text' as const, text: clip(OFFICER_LABELS.actions[b.action].id, LIMIT.button) },
    value,
    ...(b.style ? { style: b.style } : {}),
  }));
  const blocks = reportFields(card);
  if (buttons.length) blocks.push({ type: 'actions', block_id: 'lapor_actions', elements: buttons });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text:
          buttons.length > 0
            ? `Balas ke pelapor: tombol *Balas ke pelapor* atau tulis \`${CITIZEN_REPLY_PREFIX} <pesan>\` di utas ini. Pesan lain di utas adalah *catatan internal* dan tidak dikirim ke pelapor.`
            : 'Tidak ada tindakan yang tersedia pada status ini. Pesan di utas adalah catatan internal.',
      },
    ],
  });
  return blocks;
}

/** The root message of a thread whose report went to another agency: details kept, no buttons. */
export function movedRootBlocks(card: ReportCard): KnownBlock[] {
  return [
    ...reportFields(card),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: escapeMrkdwn(
            `↪️ Laporan ini sudah diteruskan ke ${card.agencyName}. Tindak lanjut dilakukan di kanal instansi tersebut.`,
          ),
        },
      ],
    },
  ];
}

/**
 * A status change posted into the thread. `note` is core's "<status label>[: text]": only the
 * label is shown (the desk's own confirmation line already quotes what went to the citizen);
 * other notes (automatic closing) are shown whole, masked like every report text.
 */
export function statusLine(privacy: ReportRow['privacy'], note: string): string {
  const label = Object.values(STATUS_LABELS)
    .map((l) => l.id)
    .find((l) => note === l || note.startsWith(`${l}: `));
  return `🔄 *Status:* ${escapeMrkdwn(label ?? textForDesk(privacy, note))}`;
}

/** A line from the system that changes nothing (core writes it without personal data). */
export function noteLine(note: string): string {
  return `🔗 ${escapeMrkdwn(note)}`;
}

/** A citizen's follow-up in the thread. */
export function citizenLine(privacy: ReportRow['privacy'], text: string): string {
  return `💬 *Pelapor menulis:*\n${quote(escapeMrkdwn(textForDesk(privacy, text)))}`;
}

/** The confirmation of what went to the citizen, with who sent it. */
export function sentToCitizenLine(
  privacy: ReportRow['privacy'],
  kind: SentKind,
  actorId: string,
  text: string,
): string {
  return `📤 *Terkirim ke pelapor* (${officerLabel('sentKinds', kind)}) oleh <@${actorId}>:\n${quote(escapeMrkdwn(textForDesk(privacy, text)))}`;
}

/** The old thread is told where the report went. */
export function movedLine(privacy: ReportRow['privacy'], note: string): string {
  return `↪️ ${escapeMrkdwn(textForDesk(privacy, note))}\nPelapor sudah diberi tahu. Tombol pada laporan ini tidak berlaku lagi.`;
}

/** The new thread learns where the report came from. */
export function forwardedFromLine(
  privacy: ReportRow['privacy'],
  fromAgency: string,
  reason: string | null,
): string {
  return `↪️ Diteruskan dari *${escapeMrkdwn(fromAgency)}*${reason ? `: ${escapeMrkdwn(textForDesk(privacy, reason))}` : ''}`;
}

/** An alert for the national admin channel. */
export function adminAlertText(trackingId: string | null, note: string): string {
  return `⚠️ ${escapeMrkdwn(note)}${trackingId ? `\nKetik \`/lapor ${trackingId}\` untuk riwayatnya.` : ''}`;
}

const MODAL_COPY: Record<ModalKind, { title: string; label: string; submit: string; hint: string }> = {
  request_info: {
    title: 'Minta info',
    label: 'Pertanyaan untuk pelapor',
    submit: 'Kirim',
    hint: 'Pertanyaan ini dikirim ke pelapor; jawabannya muncul di utas laporan.',
  },
  reply: {
    title: 'Balas ke pelapor',
    label: 'Pesan untuk pelapor',
    submit: 'Kirim',
    hint: 'Pesan ini dikirim ke pelapor di percakapannya.',
  },
  forward: {
    title: 'Teruskan laporan',
    label: 'Alasan diteruskan',
    submit: 'Teruskan',
    hint: 'Instansi tujuan menerima laporan di kanalnya; pelapor diberi tahu.',
  },
  resolve: {
    title: 'Selesaikan laporan',
    label: 'Penjelasan penyelesaian untuk pelapor',
    submit: 'Selesai',
    hint: 'Penjelasan ini dikirim ke pelapor dan laporan ditutup.',
  },
  postpone: {
    title: 'Tunda laporan',
    label: 'Alasan penundaan untuk pelapor',
    submit: 'Tunda',
    hint: 'Alasan ini dikirim ke pelapor.',
  },
};

/** The modal behind a button. The forward modal adds a searchable agency menu. */
export function actionModal(kind: ModalKind, report: ReportRow, metadata: ModalMetadata): ModalView {
  const copy = MODAL_COPY[kind];
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `*${report.trackingId}* · ${escapeMrkdwn(categoryLabel(report.category))}\n${escapeMrkdwn(
            clip(textForDesk(report.privacy, report.description), 300),
          )}`,
          LIMIT.section,
        ),
      },
    },
  ];
  if (kind === 'forward') {
    blocks.push({
      type: 'input',
      block_id: MODAL_FIELDS.agency.block,
      label: { type: 'plain_text', text: 'Instansi tujuan' },
      element: {
        type: 'external_select',
        action_id: MODAL_FIELDS.agency.action,
        min_query_length: 2,
        placeholder: { type: 'plain_text', text: 'Ketik nama instansi…' },
      },
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: MODAL_FIELDS.text.block,
      label: { type: 'plain_text', text: copy.label },
      element: {
        type: 'plain_text_input',
        action_id: MODAL_FIELDS.text.action,
        multiline: true,
        max_length: 2000,
      },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: copy.hint }] },
  );
  return {
    type: 'modal',
    callback_id: MODAL_CALLBACK_IDS[kind],
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: clip(copy.title, 24) },
    submit: { type: 'plain_text', text: copy.submit },
    close: { type: 'plain_text', text: 'Batal' },
    blocks,
  };
}

/** One option of the agency menu. */
export function agencyOption(agency: { code: string; name: string }): PlainTextOption {
  return { text: { type: 'plain_text', text: clip(agency.name, LIMIT.option) }, value: agency.code };
}

const DATE_TIME = new Intl.DateTimeFormat('id-ID', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Asia/Jakarta',
});

function actorLabel(event: HistoryEvent): string {
  switch (event.actorRole) {
    case 'citizen':
      return 'Pelapor';
    case 'system':
      return 'Sistem';
    case 'admin':
      return event.actorId ? `<@${event.actorId}> (admin)` : 'Admin';
    default:
      return event.actorId ? `<@${event.actorId}>` : 'Petugas';
  }
}

/** The `/lapor <tracking id>` answer: status, agency, due date and the history, newest last. */
export function statusAndHistoryBlocks(
  card: ReportCard,
  events: HistoryEvent[],
  agencyNames: Map<string, string>,
): KnownBlock[] {
  const { report } = card;
  const shown = events.slice(-25);
  const lines = shown.map((e) => {
    const where =
      e.action === 'dispatch' && e.agencyCode ? ` → ${agencyNames.get(e.agencyCode) ?? e.agencyCode}` : '';
    const note = e.note ? ` — ${clip(textForDesk(report.privacy, e.note), 200)}` : '';
    const lock = e.visibility === 'internal' ? '🔒 ' : '';
    return `• ${DATE_TIME.format(e.at)} · ${lock}${officerLabel('events', e.action)}${escapeMrkdwn(where)} · ${actorLabel(e)}${escapeMrkdwn(note)}`;
  });
  const omitted = events.length - shown.length;
  return [
    ...reportFields(card),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `*Riwayat*${omitted > 0 ? ` (${omitted} kejadian lebih lama tidak ditampilkan)` : ''}\n${lines.join('\n') || '-'}`,
          LIMIT.section,
        ),
      },
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '🔒 = catatan internal, tidak pernah dikirim ke pelapor.' }],
    },
  ];
}
