/**
 * Reports for tests of the read side (dashboard, status pages, browser): filed through core's
 * structured filing path (the one Open311 uses), so they are routed, audited and on the SLA
 * clock exactly like a chat's, without a dialog per report.
 */

import type { Service } from '../../app/compose.ts';
import { fileApiReport } from '../../core/intake/api-intake.ts';
import { type Actor, actOnReport, type OfficerAction } from '../../core/reports/index.ts';

export interface TestReport {
  category: string;
  /** Where, in words ("Kec. Kemangkon, Kab. Purbalingga"), placed through the gazetteer. */
  place: string;
  description?: string;
  privacy?: 'biasa' | 'rahasia' | 'anonim';
  location?: { lat: number; lon: number };
}

/** Files a report and returns its row. */
export async function fileTestReport(service: Service, input: TestReport) {
  const region = service.deps.findPlace(input.place).best ?? null;
  if (!region) throw new Error(`test place not found: ${input.place}`);
  const report = await fileApiReport(service.ctx, {
    apiKeyId: 'test',
    reporterKey: null,
    displayName: 'Warga Uji',
    locale: 'id',
    draft: {
      description: input.description ?? 'Keluhan uji yang ditulis untuk pengujian dasbor',
      category: input.category,
      type: 'pengaduan',
      privacy: input.privacy ?? 'biasa',
      media: [],
      region: { code: region.code, name: region.label },
      ...(input.location ? { location: input.location } : {}),
    },
  });
  await service.dispatcher.drain();
  return report;
}

/** An officer or admin acts on a report, as the Slack desk would. */
export async function act(service: Service, reportId: string, actor: Actor, action: OfficerAction) {
  const report = await service.db.prisma.$transaction((tx) =>
    actOnReport(tx, service.ctx, reportId, actor, action),
  );
  await service.dispatcher.drain();
  return report;
}
