/**
 * One text through classifier, gazetteer and router without a dialog: what `lapor route`
 * prints for each row and what the quality bench scores. The dialog makes the same three
 * decisions, but can ask the citizen where the text is unsure.
 */
import type { Classification } from '../../dialogs/classifier/index.ts';
import { type LocationResolution, PLACE_CONFIDENT } from '../../dialogs/gazetteer/index.ts';
import type { AgencyRecord } from '../directory/types.ts';
import type { RouteDecision, Router } from './types.ts';

/** What triage needs: the three pure parts of the pipeline and the agency directory. */
export interface TriageDeps {
  classify(text: string): Classification;
  findPlace(text: string): LocationResolution;
  router: Router;
  agencies: ReadonlyMap<string, AgencyRecord>;
}

/** The outcome for one text. */
export interface Triage {
  classification: Classification;
  /** The place the text names, when the gazetteer is sure enough to file with it. */
  region: { code: string; name: string } | null;
  decision: RouteDecision;
  /** The body the report is filed with; the admin queue when the decision says so. */
  agency: AgencyRecord | null;
}

/** Classifies, places and routes one text. Never throws for any string. */
export function triage(deps: TriageDeps, text: string): Triage {
  const classification = deps.classify(text);
  const place = deps.findPlace(text);
  // Without a dialog nobody can be asked: a weak reading is no region (the report then waits for
  // its place in the admin queue rather than going to the wrong regency).
  // The one ambiguity batch routing resolves itself: a bare "Semarang" reads as the kota (see
  // LocationResolution.likely); the dialog asks instead.
  const sure =
    place.best && !place.ambiguous && place.confidence >= PLACE_CONFIDENT
      ? place.best
      : place.likely && place.likely.confidence >= PLACE_CONFIDENT
        ? place.likely.place
        : null;
  let region = sure ? { code: sure.code, name: sure.label } : null;
  let decision = deps.router.route({
    category: classification.category,
    regionCode: region?.code ?? null,
    text,
  });
  // A province alone does not place a kabupaten/kota matter: report no region rather than half a one.
  if (region && sure?.level === 'province' && decision.placeNeeded) {
    region = null;
    decision = deps.router.route({ category: classification.category, regionCode: null, text });
  }
  return { classification, region, decision, agency: deps.agencies.get(decision.agencyCode) ?? null };
}
