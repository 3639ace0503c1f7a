import type { JobInput } from '../../src/shared/contracts/jobs.ts';

let counter = 0;

/** A valid open job of the default content pack; override any field. */
export function buildJob(overrides: Partial<JobInput> = {}): JobInput {
  counter += 1;
  return {
    title: `Software Development Engineer ${counter}`,
    team: 'amazon-web-services',
    category: 'Software Development',
    level: 4,
    employmentType: 'FULL_TIME',
    workplaceType: 'on_site',
    locations: [{ city: 'Seattle', region: 'WA', country: 'US', latitude: 47.6062, longitude: -122.3321 }],
    description: 'Build and run services that many customers rely on every day.',
    basicQualifications: ['3+ years of professional software development'],
    preferredQualifications: ['Experience with distributed systems'],
    pay: { currency: 'USD', min: 120000, max: 180000, unit: 'YEAR' },
    principles: ['customer-obsession', 'ownership', 'dive-deep'],
    status: 'open',
    postedAt: new Date(Date.now() - 24 * 3600 * 1000),
    ...overrides,
  };
}
