/**
 * The stages an application moves through, and what a candidate is told about each. Pure:
 * the server stores stages, the candidate's pages show statuses.
 */
export const STAGES = ['applied', 'screen', 'phone_interview', 'onsite_loop', 'debrief', 'offer', 'hired'] as const;
export const EXITS = ['rejected', 'withdrawn'] as const;
export type Stage = (typeof STAGES)[number] | (typeof EXITS)[number];

/** The plain statuses candidates see. */
export type CandidateStatus =
  | 'received'
  | 'under_review'
  | 'interviewing'
  | 'offer'
  | 'hired'
  | 'not_selected'
  | 'withdrawn';

export const CANDIDATE_STATUS_LABELS: Record<CandidateStatus, string> = {
  received: 'Received',
  under_review: 'Under review',
  interviewing: 'Interviewing',
  offer: 'Offer',
  hired: 'Hired',
  not_selected: 'No longer under consideration',
  withdrawn: 'Withdrawn',
};

/**
 * What the candidate sees for a stage: internal steps such as the debrief stay internal. A stage
 * a job's template adds (say "take_home") reads as "Under review".
 */
export function candidateStatus(stage: Stage | (string & {})): CandidateStatus {
  switch (stage) {
    case 'applied':
      return 'received';
    case 'screen':
    case 'phone_interview':
      return 'under_review';
    case 'onsite_loop':
    case 'debrief':
      return 'interviewing';
    case 'offer':
      return 'offer';
    case 'hired':
      return 'hired';
    case 'rejected':
      return 'not_selected';
    case 'withdrawn':
      return 'withdrawn';
    default:
      return 'under_review';
  }
}

/** An application is active until it is hired, rejected or withdrawn; a person has at most one active per job. */
export function isActive(stage: Stage): boolean {
  return stage !== 'hired' && stage !== 'rejected' && stage !== 'withdrawn';
}

// ---------------------------------------------------------------------------------------------
// Stage templates and the moves staff make.
// ---------------------------------------------------------------------------------------------

/** How stages are named on staff pages; a stage a template adds is shown from its own name. */
export const STAGE_LABELS: Record<string, string> = {
  applied: 'Applied',
  screen: 'Screen',
  phone_interview: 'Phone interview',
  onsite_loop: 'Onsite loop',
  debrief: 'Debrief',
  offer: 'Offer',
  hired: 'Hired',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

/** "take_home" → "Take home". */
export function stageLabel(stage: string): string {
  const known = STAGE_LABELS[stage];
  if (known) return known;
  const words = stage.replace(/[_-]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : stage;
}

/** The stages of a job, in order: its template, or the product's defaults when it has none. */
export function stagesOf(template: readonly string[] | null | undefined): string[] {
  return template && template.length > 0 ? [...template] : [...STAGES];
}

/** hired, rejected and withdrawn end an application: nothing moves it afterwards. */
export function isClosed(stage: string): boolean {
  return stage === 'hired' || stage === 'rejected' || stage === 'withdrawn';
}

/** Why a move is refused, in words staff can act on. */
export type MoveCheck = { ok: true } | { ok: false; code: MoveRefusal; message: string };
export type MoveRefusal = 'closed' | 'candidate_only' | 'needs_reason' | 'not_a_stage' | 'same_stage';

/**
 * May staff move an application from `from` to `to` on a job with these `stages`?
 *
 * - From any open stage to any other stage of the template, forwards or back.
 * - Never out of hired, rejected or withdrawn: those are final. A rejection is not reopened,
 *   because the candidate may already have been told and may have applied again; they can
 *   apply again, which starts a new application.
 * - Never to withdrawn: only the candidate withdraws (from their account).
 * - To rejected only by rejecting, which takes a reason.
 * - An application may sit in a stage the template no longer has (the template changed); it
 *   can still be moved out of it, but nothing moves into a stage that is not in the template.
 */
export function checkMove({ from, to, stages, reason }: { from: string; to: string; stages: readonly string[]; reason?: string | undefined }): MoveCheck {
  if (from === 'withdrawn') return refuse('closed', 'The candidate withdrew this application, so it cannot be moved.');
  if (from === 'hired') return refuse('closed', 'This application is closed: the candidate was hired.');
  if (from === 'rejected') return refuse('closed', 'This application was rejected, and a rejection is final. The candidate can apply again.');
  if (to === 'withdrawn') return refuse('candidate_only', 'Only the candidate can withdraw an application. Reject it instead, with a reason.');
  if (to === 'rejected') {
    return reason && reason.trim() ? { ok: true } : refuse('needs_reason', 'Rejecting an application needs a reason.');
  }
  if (!stages.includes(to)) return refuse('not_a_stage', `“${stageLabel(to)}” is not a stage of this job.`);
  if (from === to) return refuse('same_stage', `The application is already in ${stageLabel(to)}.`);
  return { ok: true };
}

function refuse(code: MoveRefusal, message: string): MoveCheck {
  return { ok: false, code, message };
}

/** Whole days since `since`, never negative. */
export function daysSince(since: Date, now: Date = new Date()): number {
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / 86_400_000));
}

// ---------------------------------------------------------------------------------------------
// What the candidate is told: the timeline of /account.
// ---------------------------------------------------------------------------------------------

/** One step of an application as the candidate sees it: never an internal stage name. */
export type CandidateStep = { at: Date; kind: 'received' | 'confirmed' | 'withdrawn' } | { at: Date; kind: 'status'; status: CandidateStatus };

/** Stored events as the candidate's timeline: moves between internal steps with the same status are left out. */
export function candidateTimeline(events: ReadonlyArray<{ at: Date; kind: string; toStage: string | null }>): CandidateStep[] {
  const steps: CandidateStep[] = [];
  let shown: CandidateStatus = 'received';
  for (const event of events) {
    if (event.kind === 'applied') steps.push({ at: event.at, kind: 'received' });
    else if (event.kind === 'confirmed') steps.push({ at: event.at, kind: 'confirmed' });
    else if (event.kind === 'withdrawn') {
      steps.push({ at: event.at, kind: 'withdrawn' });
      shown = 'withdrawn';
    } else if (event.toStage) {
      const status = candidateStatus(event.toStage);
      if (status !== shown) steps.push({ at: event.at, kind: 'status', status });
      shown = status;
    }
  }
  return steps;
}

// ---------------------------------------------------------------------------------------------
// Notes: @mentions.
// ---------------------------------------------------------------------------------------------

/**
 * The ids of the staff a note mentions: "@" then a user's email or name (any letter case),
 * not glued to a word before it or after it. Where two names start alike ("@Ada" and
 * "@Ada Lovelace"), the longer one that fits wins.
 */
export function mentionsIn(body: string, staff: ReadonlyArray<{ id: number; name: string; email: string }>): number[] {
  const found = new Set<number>();
  const lower = body.toLowerCase();
  const wordChar = /[\p{L}\p{N}_]/u;
  for (let at = lower.indexOf('@'); at !== -1; at = lower.indexOf('@', at + 1)) {
    if (at > 0 && wordChar.test(lower[at - 1]!)) continue;
    const rest = lower.slice(at + 1);
    let best: { id: number; length: number } | undefined;
    for (const user of staff) {
      for (const handle of [user.email, user.name]) {
        const h = handle.trim().toLowerCase();
        if (!h || !rest.startsWith(h)) continue;
        const next = rest[h.length];
        if (next !== undefined && wordChar.test(next)) continue;
        if (!best || h.length > best.length) best = { id: user.id, length: h.length };
      }
    }
    if (best) found.add(best.id);
  }
  return [...found];
}

// ---------------------------------------------------------------------------------------------
// Anonymized screening: the resume text without the person.
// ---------------------------------------------------------------------------------------------

/** Words that mark a line as naming a place of education. */
const SCHOOL =
  /(?<!\p{L})(universit(?:y|ies|é|e|à|ä|at|ät|ario|aria|eit)|colleges?|schools?|schule|hochschule|institutes?|institut|instituto|academy|academies|académie|akademie|polytechnic|politecnico|conservatory|conservatoire|seminary|lyc[eé]e|gymnasium|alma mater)(?!\p{L})/iu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const SCHEME_URL = /\b(?:https?:\/\/|www\.)\S+/giu;
/** A bare domain, lower case only, so "ASP.NET" stays while "github.com/ada" goes. */
const BARE_DOMAIN = /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|me|co|ai|app|page|site|xyz|info|uk|de|fr|ca|us)\b(?:\/\S*)?/gu;
const PHONE_LIKE = /\+?\(?\d[\d\s().\-/]{5,}\d/g;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The resume text with the person taken out: lines naming a school are dropped, and their name
 * (whole and each part), any email address, any link and any phone number are replaced by
 * a bracketed word, so reviewers judge the experience, not who or where from.
 */
export function redactResume(text: string, person: { name: string; email: string; phone: string | null; links: readonly string[] }): string {
  const phoneDigits = (person.phone ?? '').replace(/\D/g, '');
  const names = [person.name.trim(), ...person.name.split(/[\s,.]+/)]
    .map((part) => part.trim())
    .filter((part) => part.length >= 2)
    .sort((a, b) => b.length - a.length);
  const nameRe = names.length ? new RegExp(`(?<![\\p{L}\\p{N}])(${names.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu') : null;
  return text
    .split(/\r?\n/)
    .map((line) => {
      if (SCHOOL.test(line)) return '[line naming a school removed]';
      let out = line;
      for (const link of person.links) if (link) out = out.split(link).join('[link]');
      out = out.replace(EMAIL, '[email]').replace(SCHEME_URL, '[link]').replace(BARE_DOMAIN, '[link]');
      out = out.replace(PHONE_LIKE, (match) => {
        const digits = match.replace(/\D/g, '');
        const own = phoneDigits.length >= 7 && digits.length >= 7 && (digits.includes(phoneDigits.slice(-7)) || phoneDigits.includes(digits));
        return digits.length >= 9 || own ? '[phone]' : match;
      });
      if (person.email) out = out.split(person.email).join('[email]');
      if (nameRe) out = out.replace(nameRe, '[name]');
      return out;
    })
    .join('\n');
}
