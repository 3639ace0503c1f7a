import {
  EMPLOYMENT_TYPES,
  JOB_STATUSES,
  LEVELS,
  PAY_UNITS,
  QUESTION_KINDS,
  WORKPLACE_TYPES,
} from '../../../shared/contracts/jobs.ts';
import { FACETS, PAGE_SIZE } from '../../../shared/contracts/search.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const listParam = (name: string, description: string, items: Record<string, unknown>) => ({
  name,
  in: 'query',
  description: `${description} Repeat the parameter to allow several values (any of them matches).`,
  required: false,
  style: 'form',
  explode: true,
  schema: { type: 'array', items },
});

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });

/** The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json and rendered at /api/v1/docs. */
export function openApiDocument(publicUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Day One careers API',
      version: '1.0.0',
      description:
        'Read the open jobs, teams and principles of this careers site. Search takes the same parameters as the /jobs page, so any search a candidate makes can be repeated here. Errors are JSON objects with a machine-readable `code` and a readable `message`.',
    },
    servers: [{ url: `${publicUrl}/api/v1` }],
    paths: {
      '/jobs': {
        get: {
          operationId: 'searchJobs',
          summary: 'Search open jobs',
          description: `Full-text search with filters, facet counts and pages of ${PAGE_SIZE} results.`,
          parameters: [
            {
              name: 'q',
              in: 'query',
              description: 'Words to find. "Quoted phrases" match in order, -word leaves out jobs with a word; synonyms and small typos in title words are understood.',
              schema: { type: 'string', maxLength: 200 },
            },
            listParam('team', 'Team slug.', { type: 'string' }),
            listParam('category', 'Job category.', { type: 'string' }),
            listParam('city', 'City as "City, CC" (see the city facet).', { type: 'string' }),
            listParam('country', 'ISO 3166-1 alpha-2 country code of a location or of remote applicants.', { type: 'string', pattern: '^[A-Za-z]{2}$' }),
            { name: 'near', in: 'query', description: 'A city as "City, CC"; only jobs within `km` of it.', schema: { type: 'string' } },
            { name: 'km', in: 'query', description: 'Radius for `near`, in kilometres.', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
            listParam('workplace', 'Workplace type.', { type: 'string', enum: [...WORKPLACE_TYPES] }),
            listParam('type', 'Employment type (schema.org values).', { type: 'string', enum: [...EMPLOYMENT_TYPES] }),
            listParam('level', 'Job level, 1 (intern) to 8.', { type: 'integer', minimum: 1, maximum: LEVELS.length }),
            { name: 'posted', in: 'query', description: 'Posted within this many days.', schema: { type: 'integer', minimum: 1, maximum: 365 } },
            { name: 'pay', in: 'query', description: 'Minimum pay per year (the top of the range, annualized).', schema: { type: 'integer', minimum: 0 } },
            { name: 'currency', in: 'query', description: 'Currency of `pay` (ISO 4217).', schema: { type: 'string', pattern: '^[A-Za-z]{3}$' } },
            { name: 'sort', in: 'query', description: 'Order of results; relevance when there are words, else newest.', schema: { type: 'string', enum: ['relevance', 'newest'] } },
            { name: 'page', in: 'query', description: 'Page number.', schema: { type: 'integer', minimum: 1, maximum: 500, default: 1 } },
          ],
          responses: {
            '200': { description: 'One page of results with facet counts.', content: { 'application/json': { schema: ref('SearchResult') } } },
            '400': errorResponse('A parameter could not be read; `fields` names it.'),
          },
        },
      },
      '/jobs/{id}': {
        get: {
          operationId: 'getJob',
          summary: 'One open job',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: {
            '200': { description: 'The job.', content: { 'application/json': { schema: ref('Job') } } },
            '404': errorResponse('No such job.'),
            '410': errorResponse('The job exists but is no longer open.'),
          },
        },
      },
      '/teams': {
        get: {
          operationId: 'listTeams',
          summary: 'Business teams',
          responses: { '200': { description: 'Every team.', content: { 'application/json': { schema: { type: 'array', items: ref('Entry') } } } } },
        },
      },
      '/principles': {
        get: {
          operationId: 'listPrinciples',
          summary: 'Leadership principles, in order',
          responses: { '200': { description: 'Every principle.', content: { 'application/json': { schema: { type: 'array', items: ref('Entry') } } } } },
        },
      },
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            fields: { type: 'array', items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
        Pay: {
          type: ['object', 'null'],
          required: ['currency', 'min', 'max', 'unit'],
          properties: { currency: { type: 'string' }, min: { type: 'number' }, max: { type: 'number' }, unit: { type: 'string', enum: [...PAY_UNITS] } },
        },
        Location: {
          type: 'object',
          required: ['city', 'region', 'country', 'latitude', 'longitude'],
          properties: {
            city: { type: 'string' },
            region: { type: ['string', 'null'] },
            country: { type: 'string' },
            latitude: { type: ['number', 'null'] },
            longitude: { type: ['number', 'null'] },
          },
        },
        Entry: {
          type: 'object',
          required: ['slug', 'name', 'summary', 'url'],
          properties: { slug: { type: 'string' }, name: { type: 'string' }, summary: { type: 'string' }, url: { type: 'string', format: 'uri' } },
        },
        JobSummary: {
          type: 'object',
          required: ['id', 'slug', 'title', 'team', 'category', 'level', 'employmentType', 'workplaceType', 'location', 'postedAt', 'pay', 'excerpt', 'url'],
          properties: {
            id: { type: 'integer' },
            slug: { type: 'string' },
            title: { type: 'string' },
            team: { type: 'object', required: ['slug', 'name'], properties: { slug: { type: 'string' }, name: { type: 'string' } } },
            category: { type: 'string' },
            level: { type: 'integer' },
            employmentType: { type: 'string', enum: [...EMPLOYMENT_TYPES] },
            workplaceType: { type: 'string', enum: [...WORKPLACE_TYPES] },
            location: { type: 'string' },
            postedAt: { type: 'string', format: 'date-time' },
            pay: ref('Pay'),
            excerpt: { type: 'string' },
            url: { type: 'string', format: 'uri' },
          },
        },
        FacetValue: {
          type: 'object',
          required: ['value', 'label', 'count'],
          properties: { value: { type: 'string' }, label: { type: 'string' }, count: { type: 'integer' } },
        },
        SearchResult: {
          type: 'object',
          required: ['total', 'page', 'pageCount', 'jobs', 'facets', 'corrections', 'relax'],
          properties: {
            total: { type: 'integer' },
            page: { type: 'integer' },
            pageCount: { type: 'integer' },
            jobs: { type: 'array', items: ref('JobSummary') },
            facets: {
              type: 'object',
              required: [...FACETS],
              properties: Object.fromEntries(FACETS.map((f) => [f, { type: 'array', items: ref('FacetValue') }])),
            },
            corrections: {
              type: 'array',
              items: { type: 'object', required: ['from', 'to'], properties: { from: { type: 'string' }, to: { type: 'string' } } },
            },
            relax: {
              type: 'array',
              items: { type: 'object', required: ['param', 'label', 'total'], properties: { param: { type: 'string' }, label: { type: 'string' }, total: { type: 'integer' } } },
            },
          },
        },
        Job: {
          type: 'object',
          required: [
            'id', 'requisitionId', 'slug', 'title', 'team', 'category', 'level', 'employmentType', 'workplaceType', 'applicantCountries',
            'locations', 'description', 'descriptionHtml', 'basicQualifications', 'preferredQualifications', 'pay', 'principles',
            'postedAt', 'closesAt', 'updatedAt', 'questions', 'url',
          ],
          properties: {
            id: { type: 'integer' },
            requisitionId: { type: 'string' },
            slug: { type: 'string' },
            title: { type: 'string' },
            team: { type: 'object', required: ['slug', 'name'], properties: { slug: { type: 'string' }, name: { type: 'string' } } },
            category: { type: 'string' },
            level: { type: 'integer' },
            employmentType: { type: 'string', enum: [...EMPLOYMENT_TYPES] },
            workplaceType: { type: 'string', enum: [...WORKPLACE_TYPES] },
            applicantCountries: { type: 'array', items: { type: 'string' } },
            locations: { type: 'array', items: ref('Location') },
            description: { type: 'string', description: 'Markdown.' },
            descriptionHtml: { type: 'string', description: 'The description as sanitized HTML.' },
            basicQualifications: { type: 'array', items: { type: 'string' } },
            preferredQualifications: { type: 'array', items: { type: 'string' } },
            pay: ref('Pay'),
            principles: { type: 'array', items: { type: 'object', required: ['slug', 'name'], properties: { slug: { type: 'string' }, name: { type: 'string' } } } },
            status: { type: 'string', enum: [...JOB_STATUSES] },
            postedAt: { type: 'string', format: 'date-time' },
            closesAt: { type: ['string', 'null'], format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
            questions: {
              type: 'array',
              items: {
                type: 'object',
                required: ['id', 'label', 'kind', 'required', 'options'],
                properties: {
                  id: { type: 'integer' },
                  label: { type: 'string' },
                  kind: { type: 'string', enum: [...QUESTION_KINDS] },
                  required: { type: 'boolean' },
                  options: { type: 'array', items: { type: 'string' } },
                },
              },
            },
            url: { type: 'string', format: 'uri' },
          },
        },
      },
    },
  };
}
