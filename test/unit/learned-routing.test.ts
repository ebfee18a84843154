/**
 * Routing learned from a disposition history (team-written sentences, agency names in several
 * spellings and branch offices), blended with the rules.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type AgencyRecord, buildAgencyDirectory } from '../../core/directory/index.ts';
import { createAgencyNameResolver } from '../../core/directory/resolve-name.ts';
import { createRouter } from '../../core/routing/index.ts';
import {
  bodyOf,
  type LearnedRouting,
  LearnedRoutingError,
  loadLearnedRouting,
  type RoutingExample,
  trainLearnedRouting,
} from '../../core/routing/learned.ts';
import { crossValidateRouting, scoreRouting } from '../../core/routing/learned-eval.ts';
import { WRITTEN_HISTORY } from '../support/history.ts';

let agencies: AgencyRecord[];
let history: RoutingExample[];
let model: LearnedRouting;

beforeAll(async () => {
  agencies = await buildAgencyDirectory();
  const resolver = createAgencyNameResolver(agencies);
  history = WRITTEN_HISTORY.map((h) => ({
    text: h.text,
    name: h.unit,
    resolution: resolver.resolve(h.unit),
  }));
  model = trainLearnedRouting(history, agencies, { now: new Date('2026-01-01T00:00:00Z') });
});

describe('learning bodies from history', () => {
  it('splits an office into a body learned from words and a region', () => {
    const body = (i: number) => bodyOf(history[i]!.resolution);
    expect(body(0)).toEqual({ body: 'unit:DPUPR:regency', region: '33.74' });
    expect(body(12)).toEqual({ body: 'BPJS-KES', region: null });
    expect(body(24)).toEqual({ body: 'bumd:PDAM', region: '33.74' });
    expect(new Set(history.map((h) => h.resolution.code))).toEqual(
      new Set(['PEMDA-33.74-DPUPR', 'PEMDA-33.74-DISHUB', 'BPJS-KES', 'KL-IMIGRASI', 'BUMD-PDAM-33.74']),
    );
  });

  it("predicts the office for new complaints, in the history's own region", () => {
    const p = model.predict('lampu lalu lintas dekat sekolah mati total');
    expect(p.body).toBe('unit:DISHUB:regency');
    expect(p).toMatchObject({
      code: 'PEMDA-33.74-DISHUB',
      region: '33.74',
      regionSource: 'learned',
      kind: 'pemda',
    });
    expect(model.predict('paspor saya belum jadi juga').code).toBe('KL-IMIGRASI');
    expect(model.predict('air tidak mengalir dari pagi').code).toBe('BUMD-PDAM-33.74');
  });

  it('takes the place the text names over the learned region', () => {
    expect(model.predict('lampu lalu lintas mati', '33.03').code).toBe('PEMDA-33.03-DISHUB');
    expect(model.predict('air tidak mengalir dari pagi', '33.03.05').code).toBe('BUMD-PDAM-33.03');
  });

  it('keeps the spelling history used most for each office', () => {
    expect(model.historyName('PEMDA-33.74-DISHUB')).toBe('Dinas Perhubungan Kota Semarang');
    expect(model.historyName('KL-IMIGRASI')).toBe('Direktorat Jenderal Imigrasi');
  });

  it('round-trips through JSON with the same answers', () => {
    const again = loadLearnedRouting(JSON.parse(JSON.stringify(model.toJSON())), agencies);
    for (const h of WRITTEN_HISTORY) expect(again.predict(h.text)).toEqual(model.predict(h.text));
  });

  it('refuses a history that names too few bodies, and a file that is not a model', () => {
    expect(() => trainLearnedRouting(history.slice(0, 6), agencies)).toThrow(LearnedRoutingError);
    expect(() => loadLearnedRouting({ format: 'lapor-naive-bayes' }, agencies)).toThrow(
      /not a routing model/,
    );
  });
});

describe('blending with the rules', () => {
  it('files with the learned office and says the model decided', () => {
    const router = createRouter({ agencies, learned: model });
    const d = router.route({
      category: 'perhubungan',
      regionCode: null,
      text: 'parkir liar di depan toko bikin macet',
    });
    expect(d.agencyCode).toBe('PEMDA-33.74-DISHUB');
    expect(d.ruleId).toBe('learned-model');
    expect(d.reason.id).toMatch(/dipelajari dari riwayat disposisi/);
    expect(d.signals).toContain('region-source:learned');
  });

  it('leaves the decision to the rules when the model is unsure, and says so in the signals', () => {
    const unsure = loadLearnedRouting(
      {
        ...model.toJSON(),
        thresholds: { minConfidence: 1.1, overrideConfidence: 1.1, regionConfidence: 0.3 },
      },
      agencies,
    );
    const router = createRouter({ agencies, learned: unsure });
    const d = router.route({
      category: 'perhubungan',
      regionCode: '33.03',
      text: 'parkir liar di depan toko bikin macet',
    });
    expect(d.agencyCode).toBe('PEMDA-33.03-DISHUB');
    expect(d.ruleId).toBe('perhubungan');
    expect(d.signals.some((s) => s.startsWith('learned-declined:unit:DISHUB:regency'))).toBe(true);
  });

  it('asks for the place when the learned office is regional and no region is known', () => {
    const twoCities = history.map((h, i) =>
      i % 2 && h.resolution.regionCode === '33.74'
        ? {
            ...h,
            resolution: createAgencyNameResolver(agencies).resolve(h.name!.replace('Semarang', 'Bandung')),
          }
        : h,
    );
    const m = trainLearnedRouting(twoCities, agencies, {
      thresholds: { regionConfidence: 0.95 },
    });
    const d = createRouter({ agencies, learned: m }).route({
      category: 'perhubungan',
      regionCode: null,
      text: 'lampu lalu lintas dekat sekolah mati total',
    });
    expect(d).toMatchObject({ agencyCode: 'ADMIN', placeNeeded: true, ruleId: 'learned-model' });
    expect(d.competent).toEqual({ kind: 'pemda', level: 'regency' });
  });
});

describe('cross-validation figures', () => {
  it('scores kind, exact office, top 3 and macro-F1 against the resolved gold', () => {
    const gold = history.slice(0, 3);
    const f = scoreRouting(gold, [
      { code: 'PEMDA-33.74-DPUPR', kind: 'pemda', top3: ['PEMDA-33.74-DPUPR'] },
      { code: 'PEMDA-33.74-DISHUB', kind: 'pemda', top3: ['PEMDA-33.74-DISHUB', 'PEMDA-33.74-DPUPR'] },
      { code: 'BPJS-KES', kind: 'bpjs', top3: ['BPJS-KES'] },
    ]);
    expect(f).toMatchObject({ kindAccuracy: 2 / 3, exactAccuracy: 1 / 3, top3Accuracy: 2 / 3, exactRows: 3 });
    // One gold office: 1 hit, 2 misses -> F1 = 2 / (2 + 2).
    expect(f.macroF1).toBeCloseTo(0.5, 5);
  });

  it('learns the written history well enough across 5 folds', () => {
    const f = crossValidateRouting(
      history,
      5,
      (rows) => trainLearnedRouting(rows, agencies),
      (m, row) => {
        const p = m.predict(row.text);
        return { code: p.code, kind: p.kind, top3: p.top.map((t) => m.place(t.body, p.region)) };
      },
    );
    expect(f.rows).toBe(WRITTEN_HISTORY.length);
    expect(f.kindAccuracy).toBeGreaterThan(0.6);
    expect(f.exactAccuracy).toBeGreaterThan(0.5);
  });
});

describe('ROUTING_MODEL in the configuration', () => {
  it('makes the configured router (lapor route, the service) blend the model in', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadConfig } = await import('../../core/config/index.ts');
    const { configuredRouter } = await import('../../core/routing/configured.ts');
    const path = join(mkdtempSync(join(tmpdir(), 'routing-model-')), 'model.json');
    writeFileSync(path, JSON.stringify(model.toJSON()));
    const input = {
      category: 'perhubungan',
      regionCode: null,
      text: 'parkir liar di depan toko bikin macet',
    };
    const withModel = configuredRouter(loadConfig({ ROUTING_MODEL: path }), agencies, null);
    expect(withModel.route(input).agencyCode).toBe('PEMDA-33.74-DISHUB');
    const without = configuredRouter(loadConfig({}), agencies, null);
    expect(without.route(input)).toMatchObject({
      agencyCode: 'ADMIN',
      placeNeeded: true,
      ruleId: 'perhubungan',
    });
    expect(() => configuredRouter(loadConfig({ ROUTING_MODEL: `${path}.missing` }), agencies, null)).toThrow(
      /ROUTING_MODEL: cannot read/,
    );
  });
});

describe('retraining only when not worse', () => {
  it('keeps the current model when the candidate scores worse on the held-out slice', async () => {
    const { isHeldOut, retrainIfBetter } = await import('../../core/routing/retrain.ts');
    // New examples whose training part was mislabelled (every text sent to the next office in
    // the list), while the held-out slice is right: the candidate learns the wrong offices.
    const resolutions = [...new Set(history.map((h) => h.resolution.code))].map(
      (code) => history.find((h) => h.resolution.code === code)!.resolution,
    );
    const wrong = (r: RoutingExample['resolution']) =>
      resolutions[(resolutions.findIndex((x) => x.code === r.code) + 1) % resolutions.length]!;
    const noisy: RoutingExample[] = history.flatMap((h) => {
      if (isHeldOut(h.text, 0.2)) return [h];
      return [0, 1, 2, 3, 4]
        .map((n) => ({ text: `${h.text}${' lagi'.repeat(n)}`, resolution: wrong(h.resolution) }))
        .filter((e) => !isHeldOut(e.text, 0.2));
    });
    const outcome = retrainIfBetter(noisy, model, agencies);
    expect(outcome.heldOutRows).toBeGreaterThan(0);
    expect(outcome.current).not.toBeNull();
    expect(outcome.candidate.exact).toBeLessThan(outcome.current!.exact);
    expect(outcome.swapped).toBe(false);
    expect(outcome.model).toBe(model);

    // The same comparison on clean examples switches to the candidate.
    const clean = retrainIfBetter(history, null, agencies);
    expect(clean).toMatchObject({ swapped: true, current: null });
  });
});
