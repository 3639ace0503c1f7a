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

/** What the candidate sees for a stage: internal steps such as the debrief stay internal. */
export function candidateStatus(stage: Stage): CandidateStatus {
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
  }
}

/** An application is active until it is hired, rejected or withdrawn; a person has at most one active per job. */
export function isActive(stage: Stage): boolean {
  return stage !== 'hired' && stage !== 'rejected' && stage !== 'withdrawn';
}
