/**
 * Officers teach the router: a forward made in Slack is stored as a routing example, and the
 * next retrain from the database learns from it. The whole service on PGlite and PostgreSQL,
 * officers on Bolt against the fake Slack Web API with signed requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import { ACTION_IDS, MODAL_CALLBACK_IDS, MODAL_FIELDS } from '../../bots/slack/index.ts';
import { buildAgencyDirectory } from '../../core/directory/index.ts';
import { createAgencyNameResolver } from '../../core/directory/resolve-name.ts';
import { listRoutingExamples, recordRoutingExample } from '../../core/store/repos/routing-examples.ts';
import {
  type FakeSlack,
  type PostedMessage,
  signedForm,
  slackPayloads,
  startFakeSlack,
} from '../../fakes/slack.ts';
import { DB_KINDS, useTestDatabase } from '../support/db.ts';
import { WRITTEN_HISTORY } from '../support/history.ts';
import { fileTestReport } from '../support/reports.ts';
import { createTestService } from '../support/service.ts';

const SECRET = 'slack-signing-secret-for-tests';
const C_ADMIN = 'C0ADMIN';
const ADMIN = 'U0ADMIN';
const HUB = 'PEMDA-33.03-DISHUB';
const TEXT = 'Marka jalan dan zebra cross di depan sekolah sudah pudar sehingga anak-anak sulit menyeberang';

describe.each(DB_KINDS)('learning from forwards on %s', (kind) => {
  const database = useTestDatabase(kind);
  let slack: FakeSlack;
  let service: Service;

  beforeAll(async () => {
    slack = await startFakeSlack();
    service = await createTestService(database.handle, {
      env: {
        SLACK_BOT_TOKEN: slack.token,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        SLACK_ADMIN_CHANNEL: C_ADMIN,
      },
    });
    await service.start({ listen: false });
    slack.setMembers(C_ADMIN, [ADMIN]);
  });

  afterAll(async () => {
    await service?.stop();
    await slack?.close();
  });

  const interact = (body: object) =>
    service.app().inject({ method: 'POST', url: '/slack/events', ...signedForm(SECRET, body) });

  type Block = { type: string; elements?: { value?: string }[] };
  const buttonValue = (root: PostedMessage) =>
    ((root.blocks ?? []) as Block[]).find((b) => b.type === 'actions')?.elements?.[0]?.value ?? '';

  it('stores a Slack forward as a labelled example that the next retrain uses', async () => {
    // A report the rules send to public works; the admin knows road markings are Dishub's.
    const report = await fileTestReport(service, {
      category: 'pekerjaan_umum',
      place: 'Kec. Kemangkon, Kab. Purbalingga',
      description: TEXT,
    });
    const root = await slack.waitForMessage(
      (m) =>
        m.channel === C_ADMIN && !m.threadTs && JSON.stringify(m.blocks ?? []).includes(report.trackingId),
      'report in the admin channel',
    );
    await interact(
      slackPayloads.blockAction({
        user: ADMIN,
        channel: root.channel,
        message: root,
        actionId: ACTION_IDS.forward,
        value: buttonValue(root),
      }),
    );
    await slack.waitFor(() => slack.views().at(-1)?.view.callback_id === MODAL_CALLBACK_IDS.forward, 'modal');
    const view = slack.views().at(-1)!;
    const submitted = await interact(
      slackPayloads.viewSubmission({
        user: ADMIN,
        view,
        values: {
          [MODAL_FIELDS.text.block]: {
            [MODAL_FIELDS.text.action]: slackPayloads.textValue('Kewenangan Dishub'),
          },
          [MODAL_FIELDS.agency.block]: { [MODAL_FIELDS.agency.action]: slackPayloads.selectedOption(HUB) },
        },
      }),
    );
    expect(submitted.statusCode).toBe(200);
    // Bolt acknowledges first and forwards right after: wait for the report to move.
    for (let i = 0; i < 250; i++) {
      const row = await database.db.prisma.report.findUniqueOrThrow({ where: { id: report.id } });
      if (row.agencyCode === HUB) break;
      await new Promise((r) => setTimeout(r, 20));
    }

    const examples = await database.db.prisma.$transaction((tx) => listRoutingExamples(tx));
    expect(examples).toEqual([
      expect.objectContaining({
        reportId: report.id,
        text: TEXT,
        agencyCode: HUB,
        source: 'forward',
        regionCode: '33.03.01',
      }),
    ]);

    // Too few examples to learn from yet: the retrain says so and changes nothing.
    expect(await service.retrainRouting()).toBeNull();

    // With the rest of the operator's examples the retrain learns, the forward among them.
    const resolver = createAgencyNameResolver(await buildAgencyDirectory());
    await database.db.prisma.$transaction(async (tx) => {
      for (const [i, h] of WRITTEN_HISTORY.entries()) {
        await recordRoutingExample(tx, {
          reportId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          text: h.text,
          category: 'lainnya',
          regionCode: null,
          agencyCode: resolver.resolve(h.unit).code!,
          source: 'resolved',
          createdAt: new Date('2026-11-01T00:00:00Z'),
        });
      }
    });
    const outcome = await service.retrainRouting();
    expect(outcome).not.toBeNull();
    expect((outcome?.trainRows ?? 0) + (outcome?.heldOutRows ?? 0)).toBe(WRITTEN_HISTORY.length + 1);
    expect(outcome?.swapped).toBe(true); // no model before: the first one is taken
    expect(outcome?.model?.bodies).toContain('unit:DISHUB:regency');
  });
});
