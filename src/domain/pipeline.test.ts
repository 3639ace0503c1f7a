import { describe, expect, it } from 'vitest';
import {
  candidateStatus,
  candidateTimeline,
  checkMove,
  daysSince,
  EXITS,
  isActive,
  mentionsIn,
  redactResume,
  stageLabel,
  STAGES,
  stagesOf,
  type Stage,
} from './pipeline.ts';

describe('what candidates see of the pipeline', () => {
  it.each([
    ['applied', 'received'],
    ['screen', 'under_review'],
    ['phone_interview', 'under_review'],
    ['onsite_loop', 'interviewing'],
    ['debrief', 'interviewing'],
    ['offer', 'offer'],
    ['hired', 'hired'],
    ['rejected', 'not_selected'],
    ['withdrawn', 'withdrawn'],
  ] as Array<[Stage, string]>)('shows the %s stage as %s', (stage, status) => {
    expect(candidateStatus(stage)).toBe(status);
  });

  it('never shows the debrief or any internal stage name', () => {
    for (const stage of [...STAGES, ...EXITS]) expect(candidateStatus(stage)).not.toMatch(/debrief|loop|screen/);
  });

  it('counts an application as active until it is hired, rejected or withdrawn', () => {
    expect([...STAGES, ...EXITS].filter(isActive)).toEqual(['applied', 'screen', 'phone_interview', 'onsite_loop', 'debrief', 'offer']);
  });
});

describe('stage templates', () => {
  it('uses the default stages when a job has no template', () => {
    expect(stagesOf([])).toEqual([...STAGES]);
    expect(stagesOf(null)).toEqual([...STAGES]);
    expect(stagesOf(['applied', 'take_home', 'hired'])).toEqual(['applied', 'take_home', 'hired']);
  });

  it('names known stages and spells out the ones a template adds', () => {
    expect(stageLabel('phone_interview')).toBe('Phone interview');
    expect(stageLabel('take_home')).toBe('Take home');
  });

  it('shows a stage a template adds to the candidate as under review', () => {
    expect(candidateStatus('take_home')).toBe('under_review');
  });
});

describe('which moves staff may make', () => {
  const stages = [...STAGES];
  const allowed = (from: string, to: string, reason?: string) => checkMove({ from, to, stages, reason }).ok;

  it('moves an open application to any other stage of the template, forwards and back', () => {
    for (const from of stages.filter((s) => s !== 'hired')) {
      for (const to of stages.filter((s) => s !== from)) expect(allowed(from, to), `${from} → ${to}`).toBe(true);
    }
  });

  it('refuses to move a rejected application to onsite loop, or anything out of hired or withdrawn', () => {
    for (const from of ['hired', 'rejected', 'withdrawn']) {
      for (const to of [...stages, 'rejected']) {
        const check = checkMove({ from, to, stages, reason: 'because' });
        expect(check.ok, `${from} → ${to}`).toBe(false);
        if (!check.ok) expect(check.code).toBe('closed');
      }
    }
  });

  it('never lets staff withdraw an application', () => {
    const check = checkMove({ from: 'screen', to: 'withdrawn', stages });
    expect(check).toMatchObject({ ok: false, code: 'candidate_only' });
  });

  it('rejects only with a reason', () => {
    expect(checkMove({ from: 'screen', to: 'rejected', stages })).toMatchObject({ ok: false, code: 'needs_reason' });
    expect(checkMove({ from: 'screen', to: 'rejected', stages, reason: '   ' })).toMatchObject({ ok: false, code: 'needs_reason' });
    expect(allowed('screen', 'rejected', 'Not enough experience with payments')).toBe(true);
  });

  it('refuses a stage the template does not have, and a move to where it already is', () => {
    expect(checkMove({ from: 'applied', to: 'take_home', stages })).toMatchObject({ ok: false, code: 'not_a_stage' });
    expect(checkMove({ from: 'applied', to: 'debrief', stages: ['applied', 'screen', 'hired'] })).toMatchObject({ ok: false, code: 'not_a_stage' });
    expect(checkMove({ from: 'screen', to: 'screen', stages })).toMatchObject({ ok: false, code: 'same_stage' });
  });

  it('lets an application out of a stage its template no longer has', () => {
    expect(checkMove({ from: 'take_home', to: 'onsite_loop', stages }).ok).toBe(true);
  });
});

describe('days in stage', () => {
  it('counts whole days and never goes below zero', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    expect(daysSince(new Date('2026-11-22T13:00:00Z'), now)).toBe(2);
    expect(daysSince(new Date('2026-11-26T00:00:00Z'), now)).toBe(0);
  });
});

describe('the timeline the candidate sees', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 10, day));
  it('leaves out moves between internal steps that keep the same status', () => {
    const steps = candidateTimeline([
      { at: at(1), kind: 'applied', toStage: 'applied' },
      { at: at(2), kind: 'confirmed', toStage: null },
      { at: at(3), kind: 'moved', toStage: 'screen' },
      { at: at(4), kind: 'moved', toStage: 'phone_interview' },
      { at: at(5), kind: 'moved', toStage: 'onsite_loop' },
      { at: at(6), kind: 'rejected', toStage: 'rejected' },
    ]);
    expect(steps.map((s) => (s.kind === 'status' ? s.status : s.kind))).toEqual(['received', 'confirmed', 'under_review', 'interviewing', 'not_selected']);
  });
});

describe('@mentions in notes', () => {
  const staff = [
    { id: 1, name: 'Ada', email: 'ada@example.com' },
    { id: 2, name: 'Ada Lovelace', email: 'countess@example.com' },
    { id: 3, name: 'Grace Hopper', email: 'grace@example.com' },
  ];

  it('finds names and email addresses in any letter case, the longest name that fits winning', () => {
    expect(mentionsIn('@ada lovelace, can you look?', staff)).toEqual([2]);
    expect(mentionsIn('Thanks @Ada. Also @GRACE@example.com.', staff).sort()).toEqual([1, 3]);
  });

  it('ignores an @ inside a word or a name glued to more letters', () => {
    expect(mentionsIn('write to grace@example.com', staff)).toEqual([]);
    expect(mentionsIn('@Adam will know', staff)).toEqual([]);
    expect(mentionsIn('@Grace Hopper @Grace Hopper', staff)).toEqual([3]);
  });
});

describe('the resume text under anonymized screening', () => {
  const person = { name: 'Ada Lovelace', email: 'ada.l@example.com', phone: '+44 20 7946 0958', links: ['https://github.com/ada-l'] };
  const text = [
    'Ada Lovelace',
    'ada.l@example.com · +44 20 7946 0958 · https://github.com/ada-l · linkedin.com/in/adal',
    'Senior engineer at Babbage & Co, 2015 - 2019: built the analytical engine on ASP.NET.',
    'BSc Mathematics, University of London',
    'Studied at Institut Polytechnique; Lovelace Prize winner',
    'Volunteer teacher at a high school',
  ].join('\n');

  it('removes the name, email, phone, links and every line naming a school, keeping the experience', () => {
    const out = redactResume(text, person);
    expect(out).not.toMatch(/Ada|Lovelace|example\.com|7946|github|linkedin|London|Polytechnique|high school/);
    expect(out).toContain('Senior engineer at Babbage & Co, 2015 - 2019: built the analytical engine on ASP.NET.');
    expect(out).toContain('[name]');
    expect(out).toContain('[email]');
    expect(out).toContain('[phone]');
    expect(out).toContain('[link]');
    expect(out.split('\n').filter((l) => l === '[line naming a school removed]')).toHaveLength(3);
  });
});
