import { Badge } from '@/components/ui/badge';
import { cn } from '@/components/ui/utils';
import { formatWait } from '@/lib/format';
import { formatMegabytes, workerLoad, type QueuePanelData } from './queue-data';

type Worker = QueuePanelData['workers'][number];

const statusDot: Record<Worker['status'], string> = {
  alive: 'bg-green-500',
  gone: 'bg-amber-500',
  stopped: 'bg-muted-foreground/40',
};

/** The workers: how many are alive, then each with its load and memory; gone and stopped ones marked. */
export function WorkerList({
  workers,
  empty = 'No worker has reported in the last 10 minutes: queued jobs wait until one starts.',
}: {
  workers: Worker[];
  empty?: string;
}) {
  const alive = workers.filter((worker) => worker.status === 'alive').length;
  const gone = workers.filter((worker) => worker.status === 'gone').length;
  return (
    <div className="flex flex-col gap-2">
      <h3 className="text-sm font-medium" data-testid="queue-workers-summary">
        {alive === 0 ? 'No worker alive' : `${alive} ${alive === 1 ? 'worker' : 'workers'} alive`}
        {gone > 0 && <span className="font-normal text-amber-700"> · {gone} gone</span>}
      </h3>
      {workers.length === 0 ? (
        <p className="text-sm text-muted-foreground">{empty}</p>
      ) : (
        <ul className="flex flex-col divide-y rounded-md border text-sm">
          {workers.map((worker) => (
            <WorkerRow key={worker.id} worker={worker} />
          ))}
        </ul>
      )}
    </div>
  );
}

function WorkerRow({ worker }: { worker: Worker }) {
  const { running, slots } = workerLoad(worker);
  const alive = worker.status === 'alive';
  return (
    <li data-testid="queue-worker" data-worker-id={worker.id} data-status={worker.status} className={cn('flex flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2', !alive && 'text-muted-foreground')}>
      <span className="flex min-w-0 items-center gap-2">
        <span aria-hidden className={cn('size-2 shrink-0 rounded-full', statusDot[worker.status])} />
        <span className="truncate font-mono text-xs" title={worker.id}>
          {worker.hostname}:{worker.pid}
        </span>
        {worker.status === 'gone' && (
          <Badge variant="warning" title="Its heartbeat stopped: killed, hung or cut off. Its jobs are recovered once their lease lapses.">
            Gone
          </Badge>
        )}
        {worker.status === 'stopped' && <Badge variant="outline">Stopped</Badge>}
      </span>
      <span className="ml-auto flex items-center gap-4 tabular text-xs">
        <span data-testid="worker-load" title="Jobs running / jobs it runs at once (all engines)">
          {running}/{slots} running
        </span>
        <span data-testid="worker-memory" title="Resident memory of the worker process">
          {formatMegabytes(worker.rssBytes)}
        </span>
        <span className="text-muted-foreground" title="Since its last heartbeat">
          {alive ? 'seen' : 'last seen'} {formatWait(worker.heartbeatAgeSeconds * 1000)} ago
        </span>
      </span>
    </li>
  );
}
