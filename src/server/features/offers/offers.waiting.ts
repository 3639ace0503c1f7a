import type { WaitingSource } from '../workspace/workspace.service.ts';
import { listOffersToApprove } from './offers.service.ts';

/** "Offers to approve" on the staff home page: offers whose next approval is the user's; nothing shown when there are none. */
export const offerApprovalsWaiting: WaitingSource = async ({ db, user, now }) => {
  const items = await listOffersToApprove({ db, userId: user.id, now });
  if (items.length === 0) return null;
  return {
    key: 'offer-approvals',
    title: 'Offers to approve',
    empty: 'No offer is waiting for your approval.',
    items: items.map((item) => ({ title: `${item.offer.terms.title}: ${item.candidate}`, href: `/staff/offers#offer-${item.offer.id}`, detail: item.job.teamName })),
  };
};
