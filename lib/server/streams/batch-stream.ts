import type { Database } from '@/db/client';
import { findBatch } from '@/db/queries/batches';
import { getOwnedBatch } from '@/lib/server/batches/access';
import { loadBatch } from '@/lib/server/batches/read';
import { subscribe } from './notifications';
import { coalesced, eventStream } from './sse';

// GET /api/v1/batches/{id}/stream: `progress` with the batch as GET /api/v1/batches/{id} returns
// it, at once and then whenever its counts change (read at most 4 times a second, however many
// jobs finish), and `end` with the batch once it is completed or cancelled. Its jobs' status
// notifications carry the batch id, so an idle batch costs no queries.

const minReadIntervalMs = 250;

export async function batchStream({
  req,
  db,
  id,
  accountId,
  maskSecrets = false,
}: {
  req: Request;
  db: Database;
  id: string;
  accountId: string;
  /** For a dashboard session: the batch's request headers and cookies masked. */
  maskSecrets?: boolean;
}): Promise<Response> {
  await getOwnedBatch(db, { id, accountId });

  return eventStream(req, async (out) => {
    let sent = '';
    const read = async () => {
      const batch = await findBatch(db, id);
      if (!batch || batch.deletedAt) return out.close();
      const json = await loadBatch(db, batch, { maskSecrets });
      const { status, counts } = json;
      const fingerprint = JSON.stringify({ status, counts, cancelledAt: json.cancelledAt });
      if (fingerprint !== sent) {
        sent = fingerprint;
        out.send('progress', json);
      }
      if (status !== 'active') {
        out.send('end', json);
        out.close();
      }
    };
    const schedule = coalesced(read, { minIntervalMs: minReadIntervalMs, out });
    const unsubscribe = await subscribe([`batch:${id}`], schedule, schedule);
    schedule();
    return unsubscribe;
  });
}
