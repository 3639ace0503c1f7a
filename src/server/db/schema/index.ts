export * from './content.ts';
export * from './jobs.ts';
