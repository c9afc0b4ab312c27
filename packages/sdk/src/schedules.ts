import type { RequestOptions, Transport } from './transport.js';
import type { CreateScheduleRequest, ListScheduleRunsQuery, ListSchedulesQuery, Schedule, ScheduleList, ScheduleRunList, UpdateScheduleRequest } from './types.js';

// Schedules: a job, batch or crawl started on a cron expression, and each run's outcome.

export class Schedules {
  constructor(private readonly transport: Transport) {}

  /** POST /api/v1/schedules: the reply shows its next 5 runs. */
  create(body: CreateScheduleRequest, options?: RequestOptions): Promise<Schedule> {
    return this.transport.unwrap(this.transport.api.POST('/api/v1/schedules', { body, ...this.transport.options(options) }));
  }

  get(id: string, options?: RequestOptions): Promise<Schedule> {
    return this.transport.unwrap(this.transport.api.GET('/api/v1/schedules/{id}', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  list(query: ListSchedulesQuery = {}, options?: RequestOptions): Promise<ScheduleList> {
    return this.transport.unwrap(this.transport.api.GET('/api/v1/schedules', { params: { query }, ...this.transport.options(options) }));
  }

  update(id: string, body: UpdateScheduleRequest, options?: RequestOptions): Promise<Schedule> {
    return this.transport.unwrap(this.transport.api.PATCH('/api/v1/schedules/{id}', { params: { path: { id } }, body, ...this.transport.options(options) }));
  }

  pause(id: string, options?: RequestOptions): Promise<Schedule> {
    return this.transport.unwrap(this.transport.api.POST('/api/v1/schedules/{id}/pause', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  resume(id: string, options?: RequestOptions): Promise<Schedule> {
    return this.transport.unwrap(this.transport.api.POST('/api/v1/schedules/{id}/resume', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  /** Deletes the schedule and its run history; the jobs, batches and crawls its runs made stay. */
  delete(id: string, options?: RequestOptions): Promise<{ id: string; deleted: true }> {
    return this.transport.unwrap(this.transport.api.DELETE('/api/v1/schedules/{id}', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  /** Its runs, latest first: created (with the job, batch or crawl), skipped (overlap) or refused (with the reason). */
  runs(id: string, query: ListScheduleRunsQuery = {}, options?: RequestOptions): Promise<ScheduleRunList> {
    return this.transport.unwrap(
      this.transport.api.GET('/api/v1/schedules/{id}/runs', { params: { path: { id }, query }, ...this.transport.options(options) }),
    );
  }
}
