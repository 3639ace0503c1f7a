import { describe, expect, it } from 'vitest';
import { candidateStatus, EXITS, isActive, STAGES, type Stage } from './pipeline.ts';

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
