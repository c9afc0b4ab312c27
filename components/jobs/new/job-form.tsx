'use client';

import { CopyIcon, LoaderCircleIcon, SendIcon } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { useCanChange } from '@/components/account/account-banner';
import { formatCredits } from '@/components/account/credits';
import { refreshAccount, useAccount } from '@/components/account/use-account';
import { ApiClientError, apiFetch, postJson, unreachableError } from '@/components/api/fetcher';
import { IdempotentAction } from '@/components/api/idempotency';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { formatAbsolute } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';
import { engineLabels, type Engine } from '@/lib/jobs';
import type { JobJson } from '../api-types';
import { ExtractSection } from './extract-section';
import { Notice } from './form-parts';
import { BrowserSection, LabelSection, NetworkSection, RequestSection, TargetSection } from './form-sections';
import type { CreateJobBody } from '@/lib/schemas/jobs';
import type { MaskedSecrets } from '@/lib/secret-masking';
import { defaultsFromBody, errorsFromApi, extractSyntaxError, keptSecrets, validateValues, valuesFromRequest, type FieldErrors, type JobFormValues } from './form-values';

export type SubmitKey = { name: string; kind: 'live' | 'test' } | null;

type CloneInput = { from: string; body: CreateJobBody; kept: MaskedSecrets; idempotencyKey: string };
/** The server action that submits a clone whose kept secrets only the server knows. */
export type SubmitCloneAction = (
  input: CloneInput,
) => Promise<{ ok: true; id: string } | { ok: false; status: number; error: { code: string; message: string; details?: unknown } }>;

/** Runs the clone's action, failing as the API's fetcher does. */
async function runClone(action: SubmitCloneAction, input: CloneInput): Promise<string> {
  const reply = await action(input).catch(() => {
    throw unreachableError();
  });
  if (!reply.ok) throw new ApiClientError(reply.status, reply.error.code, reply.error.message, reply.error.details);
  return reply.id;
}

function withoutKept(body: CreateJobBody, kept: MaskedSecrets): CreateJobBody {
  const drop = (record: Record<string, string>, names: string[]) => Object.fromEntries(Object.entries(record).filter(([name]) => !names.includes(name)));
  return { ...body, headers: drop(body.headers, kept.headers), cookies: drop(body.cookies, kept.cookies) };
}

/**
 * The create-job form (spec 002 sections 1.3, 4.3, 6.5): every option of POST /api/v1/jobs,
 * validated with the API's own schema before sending; the API's field errors land on the same
 * fields. A successful submission remembers its choices as the user's defaults.
 */
export function JobForm({
  initial,
  savedAt,
  clonedFrom,
  prices,
  submitKey,
  submitClone,
}: {
  initial: JobFormValues;
  /** When the user's defaults were saved, if they have any. */
  savedAt: string | null;
  clonedFrom: string | null;
  prices: Record<Engine, number>;
  submitKey: SubmitKey;
  submitClone?: SubmitCloneAction;
}) {
  const router = useRouter();
  const timeZone = useTimeZone();
  const account = useAccount();
  const canChange = useCanChange();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(savedAt);
  const [clearing, setClearing] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const submission = useRef(new IdempotentAction()).current;
  const [focusErrors, setFocusErrors] = useState(0);

  // After a failed submit, take the user to the first field that needs them.
  useEffect(() => {
    if (focusErrors) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusErrors]);

  const set = <K extends keyof JobFormValues>(name: K, value: JobFormValues[K]) => {
    setValues((current) => ({ ...current, [name]: value }));
    if (errors[name]) setErrors(({ [name]: _, ...rest }) => rest);
  };

  // A test key's jobs are free (spec section 13).
  const costOf = (engine: Engine) => (submitKey?.kind === 'test' ? 0 : prices[engine]);
  const cost = costOf(values.engine);
  const available = account.data?.available;
  const insufficient = available !== undefined && cost > available;
  const locked = !canChange || !submitKey;
  const section = { values, errors, set };

  // The rules' JSON syntax is checked as the user leaves the editor; the rules themselves on submit.
  const checkExtract = () => {
    const message = extractSyntaxError(values.extract);
    if (message) setErrors((current) => ({ ...current, extract: message }));
  };

  const submit = async () => {
    const result = validateValues(values);
    if (!result.ok) {
      setErrors(result.errors);
      setFormError(null);
      setFocusErrors((n) => n + 1);
      return;
    }
    setErrors({});
    setFormError(null);
    setPending(true);
    try {
      const kept = keptSecrets(values);
      const keeps = kept.headers.length + kept.cookies.length > 0;
      // A clone's kept secrets are filled in on the server, from the original job.
      const id =
        clonedFrom && keeps && submitClone
          ? await runClone(submitClone, { from: clonedFrom, body: result.body, kept, idempotencyKey: submission.key(JSON.stringify({ clonedFrom, body: result.body, kept })) })
          : (await postJson<JobJson>('/api/v1/jobs', result.body, submission.headers(JSON.stringify(result.body)))).id;
      submission.settle();
      // Remembered for next time (spec 002 section 6.5), without the values the browser never had.
      // The job exists either way: a failure here is not the user's problem.
      await apiFetch('/api/v1/preferences/job-defaults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(defaultsFromBody(withoutKept(result.body, kept))),
      }).catch(() => undefined);
      void refreshAccount();
      toast.success('Job submitted. Opening it...');
      router.push(`/dashboard/jobs/${id}`);
    } catch (error) {
      submission.settle(error);
      setPending(false);
      const fields = (error as ApiClientError).details as { fields?: { field: string; message: string }[] } | undefined;
      if (error instanceof ApiClientError && error.status === 400 && fields?.fields?.length) {
        setErrors(errorsFromApi(values, fields.fields));
        setFocusErrors((n) => n + 1);
      } else {
        setFormError(error instanceof Error ? error.message : 'Could not submit the job. Please try again.');
      }
    }
  };

  const clearDefaults = async () => {
    setClearing(true);
    try {
      await apiFetch('/api/v1/preferences/job-defaults', { method: 'DELETE' });
      setSaved(null);
      // A clone keeps its values; a fresh form goes back to the plain defaults (what is never a default stays).
      if (!clonedFrom) {
        setValues((current) => ({
          ...valuesFromRequest(),
          url: current.url,
          name: current.name,
          tags: current.tags,
          priority: current.priority,
          extract: current.extract,
          trackChanges: current.trackChanges,
        }));
      }
      setErrors({});
      toast.success('Saved defaults cleared');
    } catch (error) {
      toast.error(error instanceof Error ? error.message : 'Could not clear the saved defaults.');
    } finally {
      setClearing(false);
    }
  };

  const errorCount = Object.keys(errors).length;

  return (
    <form
      ref={form}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      aria-label={clonedFrom ? 'Clone job' : 'New job'}
      className="grid items-start gap-5 lg:grid-cols-[minmax(0,1fr)_300px]"
    >
      <fieldset disabled={locked || pending} className="flex min-w-0 flex-col gap-5">
        <TargetSection {...section} costOf={costOf} autoFocus={!clonedFrom} />
        <LabelSection {...section} />
        <RequestSection {...section} />
        <BrowserSection {...section} />
        <NetworkSection {...section} />
        <ExtractSection {...section} checkExtract={checkExtract} />
      </fieldset>

      <aside className="flex flex-col gap-4 lg:sticky lg:top-8">
        <Card aria-labelledby="summary-title" data-testid="job-summary">
          <CardHeader>
            <CardTitle id="summary-title">Summary</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-4 text-sm">
            <dl className="grid grid-cols-[1fr_auto] gap-y-2">
              <dt className="text-muted-foreground">Cost ({engineLabels[values.engine]})</dt>
              <dd className="text-right font-medium tabular" data-testid="job-cost">
                {formatCredits(cost)}
              </dd>
              <dt className="text-muted-foreground">Available</dt>
              <dd className="text-right font-medium tabular" data-testid="job-available">
                {available === undefined ? '…' : formatCredits(available)}
              </dd>
              {submitKey && (
                <>
                  <dt className="text-muted-foreground">API key</dt>
                  <dd className="truncate text-right" title={submitKey.name}>
                    {submitKey.name}
                    {submitKey.kind === 'test' ? ' (test)' : ''}
                  </dd>
                </>
              )}
            </dl>
            <p className="text-xs leading-relaxed text-muted-foreground">Charged when the job completes or fails; nothing if it is cancelled or expires.</p>
            {!submitKey && (
              <Notice>
                No active API keys. <Link href="/dashboard/api-keys" className="font-medium underline">Create a key</Link> to submit jobs.
              </Notice>
            )}
            {submitKey && insufficient && (
              <Notice>
                Insufficient credits. You need {cost} credits but have {available}.{' '}
                <Link href="/dashboard/billing" className="font-medium underline">
                  Add credits
                </Link>
              </Notice>
            )}
            {errorCount > 0 && (
              <Notice tone="error">
                {errorCount === 1 ? 'One field needs' : `${errorCount} fields need`} your attention.
              </Notice>
            )}
            {formError && <Notice tone="error">{formError}</Notice>}
            <div className="flex flex-col gap-2">
              <Button type="submit" disabled={locked || pending || insufficient}>
                {pending ? <LoaderCircleIcon className="animate-spin" /> : clonedFrom ? <CopyIcon /> : <SendIcon />}
                {pending ? 'Submitting…' : 'Submit job'}
              </Button>
              <Button type="button" variant="ghost" onClick={() => router.back()}>
                Cancel
              </Button>
            </div>
          </CardContent>
        </Card>
        <div className="flex flex-col gap-1.5 px-1 text-xs text-muted-foreground" data-testid="defaults-status">
          {saved ? (
            <>
              <p>
                {clonedFrom ? 'Your saved defaults are not used when cloning.' : `Options filled in from your saved defaults (${formatAbsolute(saved, timeZone)}).`}
              </p>
              <div>
                <Button type="button" variant="link" size="xs" className="h-auto text-xs" onClick={() => void clearDefaults()} disabled={clearing || !canChange}>
                  Clear saved defaults
                </Button>
              </div>
            </>
          ) : (
            <p>The options you submit with are remembered for your next job.</p>
          )}
        </div>
      </aside>
    </form>
  );
}
