import type { WaitingSource } from '../workspace/workspace.service.ts';
import { interviewsFor } from './loops.service.ts';

/** "Your interviews" on the staff home page: the user's interviews still to come, each linking to its kit. */
export const upcomingInterviewsWaiting: WaitingSource = async ({ db, user, now }) => {
  const { upcoming } = await interviewsFor({ db, userId: user.id, now });
  return {
    key: 'interviews',
    title: 'Your interviews',
    empty: 'No interviews scheduled for you.',
    items: upcoming.map(({ title, href, detail }) => ({ title, href, detail })),
  };
};

/** "Feedback due" on the staff home page: interviews the user held whose feedback is not submitted yet. */
export const feedbackDueWaiting: WaitingSource = async ({ db, user, now }) => {
  const { feedbackDue } = await interviewsFor({ db, userId: user.id, now });
  return {
    key: 'feedback-due',
    title: 'Feedback due',
    empty: 'No feedback waiting for you.',
    items: feedbackDue.map(({ title, href, detail }) => ({ title, href, detail })),
  };
};
