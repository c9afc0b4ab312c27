import { redirect } from 'next/navigation';

/** The credits live on the billing page; this path is kept for links that name them. */
export default function CreditsPage() {
  redirect('/dashboard/billing');
}
