// The rule that turns a face search into "this is member X" or "nobody", and every number it uses,
// in one place: the server's configuration takes its defaults from here (docs/faces.md, "Decision
// rule", says how each was measured; a better evaluation changes them here).

export const DECISION_DEFAULTS = {
  /** cosine similarity the best member must reach (FaceRes) */
  matchThreshold: 0.7,
  /** the best member must beat the best *other* member by this much, else nobody is matched */
  matchMargin: 0.05,
  /** px, the face box's shorter side needed for an embedding; age and gender need only minFaceSize (64) */
  minIdentityFaceSize: 112,
  /** every two frames of a capture used for identity must be at least this similar */
  minFrameAgreement: 0.65,
  /** embeddings kept per member (the enrolment and visits confirmed by the phone digits) */
  templatesPerMember: 5,
  /** a confirmed visit becomes a template only when it is less similar than this to each one kept */
  templateNoveltyBelow: 0.9,
  /** years: senior mode is offered first from this much below the senior age threshold */
  seniorAgeMargin: 10,
} as const;

/** The embeddings' model: stored with every template; templates of another version are not compared. */
export const EMBEDDING_VERSION = 'human-3.3.6/faceres-1024';

export interface MatchRule {
  /** the best member's similarity must reach this */
  threshold: number;
  /** and exceed the runner-up member's by at least this */
  margin: number;
}

export interface MemberScore {
  member: string;
  similarity: number;
}

export type MatchDecision =
  | { outcome: 'match'; member: string; similarity: number }
  /** nobody reached the threshold */
  | { outcome: 'no_match' }
  /** two members are too close to tell apart: nobody is matched */
  | { outcome: 'ambiguous'; member: string; similarity: number; runnerUp: number };

/**
 * The best member when similar enough and clearly ahead of every other member. Among N members the
 * best stranger and the second-best stranger lie close together, so the margin turns away most of
 * the strangers that cross the threshold by chance, while a real member stands well clear of the rest.
 */
export function decideMatch(best: MemberScore | undefined, runnerUp: MemberScore | undefined, rule: MatchRule): MatchDecision {
  if (!best || !(best.similarity >= rule.threshold)) return { outcome: 'no_match' };
  if (runnerUp && best.similarity - runnerUp.similarity < rule.margin) {
    return { outcome: 'ambiguous', member: best.member, similarity: best.similarity, runnerUp: runnerUp.similarity };
  }
  return { outcome: 'match', member: best.member, similarity: best.similarity };
}
