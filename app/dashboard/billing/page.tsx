import type { Metadata } from 'next';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { requireAccount } from '../viewer';

export const metadata: Metadata = { title: 'Billing · Scrapifie' };

/** The balance; buying credits is not part of this dashboard yet (the retry dialog's "Add credits" lands here). */
export default async function BillingPage() {
  const account = await requireAccount('/dashboard/billing');
  const stats = [
    { label: 'Balance', value: account.credits, hint: 'credits' },
    { label: 'Reserved', value: account.reservedCredits, hint: 'held for unfinished jobs' },
    { label: 'Available', value: account.credits - account.reservedCredits, hint: 'for new jobs' },
  ];
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Billing</h1>
      <div className="grid gap-4 sm:grid-cols-3">
        {stats.map((stat) => (
          <Card key={stat.label}>
            <CardContent className="flex flex-col gap-1 py-5">
              <span className="text-sm text-muted-foreground">{stat.label}</span>
              <span className="text-2xl font-semibold tabular">{stat.value.toLocaleString('en-US')}</span>
              <span className="text-xs text-muted-foreground">{stat.hint}</span>
            </CardContent>
          </Card>
        ))}
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Add credits</CardTitle>
        </CardHeader>
        <CardContent className="text-sm text-muted-foreground">
          Buying credits online is not available yet. Ask an operator to grant credits to your account.
        </CardContent>
      </Card>
    </div>
  );
}
