import { LoaderCircleIcon } from 'lucide-react';
import { Button } from './button';
import { DialogFooter } from './dialog';

/** A dialog form's Cancel and submit buttons; the submit one is disabled, with a spinner, while `pending`. */
export function DialogFormFooter({ pending, submitLabel, onCancel }: { pending: boolean; submitLabel: string; onCancel: () => void }) {
  return (
    <DialogFooter>
      <Button type="button" variant="outline" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" disabled={pending}>
        {pending && <LoaderCircleIcon className="animate-spin" />}
        {submitLabel}
      </Button>
    </DialogFooter>
  );
}
