import type { PublicJob } from '../../shared/contracts/jobs.ts';
import { jobPath } from '../../shared/contracts/jobs.ts';

/**
 * The schema.org JobPosting of one job, as search engines read it from the job page
 * (Google's job posting structured data rules). Fully remote jobs carry
 * `jobLocationType: TELECOMMUTE` with the countries applicants may live in; every other
 * job carries its physical locations.
 */
export function jobPostingJsonLd(
  job: PublicJob,
  options: { organization: string; publicUrl: string; descriptionHtml: string; directApply: boolean },
): Record<string, unknown> {
  const url = `${options.publicUrl}${jobPath(job)}`;
  const posting: Record<string, unknown> = {
    '@context': 'https://schema.org/',
    '@type': 'JobPosting',
    title: job.title,
    description: options.descriptionHtml,
    datePosted: job.postedAt.toISOString(),
    hiringOrganization: { '@type': 'Organization', name: options.organization, sameAs: options.publicUrl },
    employmentType: job.employmentType,
    identifier: { '@type': 'PropertyValue', name: options.organization, value: job.requisitionId },
    directApply: options.directApply,
    url,
    industry: job.team.name,
    occupationalCategory: job.category,
  };
  if (job.closesAt) posting.validThrough = job.closesAt.toISOString();
  const places = job.locations.map((l) => ({
    '@type': 'Place',
    address: {
      '@type': 'PostalAddress',
      addressLocality: l.city,
      ...(l.region ? { addressRegion: l.region } : {}),
      addressCountry: l.country,
    },
    ...(l.latitude !== null && l.longitude !== null ? { geo: { '@type': 'GeoCoordinates', latitude: l.latitude, longitude: l.longitude } } : {}),
  }));
  if (job.workplaceType === 'remote') {
    posting.jobLocationType = 'TELECOMMUTE';
    const countries = job.applicantCountries.length ? job.applicantCountries : [...new Set(job.locations.map((l) => l.country))];
    posting.applicantLocationRequirements = countries.map((name) => ({ '@type': 'Country', name }));
  } else {
    posting.jobLocation = places.length === 1 ? places[0] : places;
  }
  if (job.pay) {
    posting.baseSalary = {
      '@type': 'MonetaryAmount',
      currency: job.pay.currency,
      value: {
        '@type': 'QuantitativeValue',
        ...(job.pay.min === job.pay.max ? { value: job.pay.min } : { minValue: job.pay.min, maxValue: job.pay.max }),
        unitText: job.pay.unit,
      },
    };
  }
  return posting;
}

/** JSON for a `<script type="application/ld+json">` block: `<` is escaped so the data cannot close the element. */
export function jsonLdText(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
