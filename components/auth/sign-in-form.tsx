'use client';

import { AlertCircleIcon, LoaderCircleIcon } from 'lucide-react';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';

type State = { error: string | null; email: string };

export function SignInForm({ action, callbackUrl }: { action: (state: State, form: FormData) => Promise<State>; callbackUrl: string }) {
  const [state, formAction, pending] = useActionState(action, { error: null, email: '' });
  return (
    <Card className="w-full p-6">
      <div className="mb-5 flex flex-col gap-1">
        <h1 className="text-lg font-semibold">Sign in</h1>
        <p className="text-sm text-muted-foreground">Watch and manage your scraping jobs.</p>
      </div>
      <form action={formAction} className="flex flex-col gap-4">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <div className="flex flex-col gap-2">
          <Label htmlFor="email">Email</Label>
          <Input id="email" name="email" type="email" autoComplete="email" required defaultValue={state.email} autoFocus aria-invalid={state.error ? true : undefined} />
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor="password">Password</Label>
          <Input id="password" name="password" type="password" autoComplete="current-password" required aria-invalid={state.error ? true : undefined} />
        </div>
        {state.error && (
          <p role="alert" className="flex items-center gap-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            <AlertCircleIcon className="size-4 shrink-0" />
            {state.error}
          </p>
        )}
        <Button type="submit" disabled={pending} className="mt-1">
          {pending && <LoaderCircleIcon className="animate-spin" />}
          Sign in
        </Button>
      </form>
    </Card>
  );
}
