import type { Metadata } from 'next';
import { DeleteAccountSection } from '@/components/settings/delete-account';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { signOutAction } from '../actions';
import { getViewerTimeZone, requireAccount } from '../viewer';

export const metadata: Metadata = { title: 'Settings · Scrapifie' };

/** The account's settings: who is signed in, and deleting the account. */
export default async function SettingsPage() {
  const account = await requireAccount('/dashboard/settings');
  const { timeZone } = await getViewerTimeZone();
  return (
    <div className="flex max-w-3xl flex-col gap-5">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <Card aria-labelledby="account-title">
        <CardHeader>
          <CardTitle id="account-title">Account</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-1 gap-x-8 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="text-muted-foreground">Email</dt>
            <dd data-testid="settings-email">{account.email}</dd>
            <dt className="text-muted-foreground">Time zone</dt>
            <dd>{timeZone} (from your browser)</dd>
          </dl>
        </CardContent>
      </Card>
      <DeleteAccountSection signOut={signOutAction} />
    </div>
  );
}
