import type { ReactNode } from 'react';
import { AdminTabs } from '@/components/admin/admin-tabs';
import { requireAdmin } from '../viewer';

/** The admin page's frame: only for accounts with the admin role; anyone else gets a 404. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin('/dashboard/admin');
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Admin</h1>
        <AdminTabs />
      </div>
      {children}
    </div>
  );
}
