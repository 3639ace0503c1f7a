import { describe, expect, it } from 'vitest';
import { JOB_STATUSES, type JobStatus } from '../shared/contracts/jobs.ts';
import { actionsFrom, isEditable, JOB_ACTIONS, transition, type JobAction } from './job-lifecycle.ts';

/** Every transition the product allows, written out by hand: the table the state machine must match exactly. */
const ALLOWED: Array<[JobStatus, JobAction, JobStatus]> = [
  ['draft', 'submit', 'pending_approval'],
  ['draft', 'cancel', 'closed_cancelled'],
  ['pending_approval', 'approve', 'open'],
  ['pending_approval', 'send_back', 'draft'],
  ['pending_approval', 'cancel', 'closed_cancelled'],
  ['open', 'hold', 'on_hold'],
  ['open', 'close_filled', 'closed_filled'],
  ['open', 'cancel', 'closed_cancelled'],
  ['on_hold', 'resume', 'open'],
  ['on_hold', 'close_filled', 'closed_filled'],
  ['on_hold', 'cancel', 'closed_cancelled'],
];

describe('the job state machine', () => {
  for (const from of JOB_STATUSES) {
    for (const action of JOB_ACTIONS) {
      const allowed = ALLOWED.find(([f, a]) => f === from && a === action);
      it(`${allowed ? 'allows' : 'refuses'} ${action} on a ${from} job`, () => {
        const result = transition(from, action, 'a reason');
        if (allowed) expect(result).toEqual({ ok: true, to: allowed[2] });
        else expect(result).toMatchObject({ ok: false, reason: 'not_allowed' });
      });
    }
  }

  it('offers exactly the allowed actions from each status', () => {
    for (const from of JOB_STATUSES) {
      expect(actionsFrom(from).sort()).toEqual(ALLOWED.filter(([f]) => f === from).map(([, a]) => a).sort());
    }
  });

  it('needs a comment to send a job back or cancel it, and blank space is no comment', () => {
    expect(transition('pending_approval', 'send_back', '   ')).toMatchObject({ ok: false, reason: 'comment_required' });
    expect(transition('open', 'cancel')).toMatchObject({ ok: false, reason: 'comment_required' });
    expect(transition('pending_approval', 'approve')).toEqual({ ok: true, to: 'open' });
  });

  it('keeps closed jobs closed: no action leads out of them', () => {
    expect(actionsFrom('closed_filled')).toEqual([]);
    expect(actionsFrom('closed_cancelled')).toEqual([]);
  });

  it('freezes a job while it waits for approval and after it closes', () => {
    expect(JOB_STATUSES.filter(isEditable)).toEqual(['draft', 'open', 'on_hold']);
  });
});
