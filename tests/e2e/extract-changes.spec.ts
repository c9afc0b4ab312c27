import { randomUUID } from 'node:crypto';
import { expect, fixtureUrl, test } from './support/fixtures';

// Issue 16 on the dashboard: the extracted data as a table and a tree, a tracked page's diff on
// the job page, and the jobs list's "Changed only" filter in the URL.

async function editPage(id: string, page: { body?: string; status?: number }) {
  const response = await fetch(`${fixtureUrl()}/editable?id=${id}`, { method: 'POST', body: JSON.stringify(page) });
  expect(response.ok).toBe(true);
}

test('the result viewer shows extracted data as a table and as a tree', async ({ page, user }) => {
  await user.signIn(page);
  const job = await user.submit({
    url: `${fixtureUrl()}/products`,
    format: 'markdown',
    extract: { title: 'h1', products: { selector: '.product', fields: { name: 'h2', price: '.price', tags: { selector: '.tags li', multiple: true, required: false } } } },
  });
  await user.waitForStatus(job.id, 'completed');
  await page.goto(`/dashboard/jobs/${job.id}`);
  const section = page.getByTestId('extracted-section');
  await expect(section.getByTestId('extracted-table')).toContainText('Fixture Products');
  const rows = section.getByTestId('extracted-list').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('Beta Chair');
  await expect(rows.nth(1)).toContainText('$1,299.00');
  await expect(rows.nth(0)).toContainText('light');
  await section.getByRole('button', { name: 'Tree' }).click();
  const tree = section.getByTestId('extracted-tree');
  await expect(tree).toContainText('products [3]');
  await expect(tree).toContainText('Gamma Desk');
  await expect(section.getByTestId('extracted-table')).toBeHidden();
});

test('a changed page shows its diff on the job page, and Changed only lists just that run', async ({ page, user }) => {
  const id = randomUUID();
  const url = `${fixtureUrl()}/editable?id=${id}`;
  await editPage(id, { body: '<h1>Lamp</h1><p>Price: ten dollars</p><p>In stock</p>' });
  const first = await user.submit({ url, format: 'markdown', trackChanges: true });
  await user.waitForStatus(first.id, 'completed');
  await editPage(id, { body: '<h1>Lamp</h1><p>Price: twelve dollars</p><p>In stock</p>' });
  const second = await user.submit({ url, format: 'markdown', trackChanges: true });
  await user.waitForStatus(second.id, 'completed');
  const other = await user.submit({ url: `${fixtureUrl()}/page` });
  await user.waitForStatus(other.id, 'completed');

  await user.signIn(page);
  await page.goto(`/dashboard/jobs/${first.id}`);
  await expect(page.getByTestId('change-status')).toHaveText('New');
  await page.goto(`/dashboard/jobs/${second.id}`);
  await expect(page.getByTestId('change-status')).toHaveText('Changed');
  const diff = page.getByTestId('change-diff');
  await expect(diff.locator('[data-line="removed"]')).toHaveText(['-Price: ten dollars']);
  await expect(diff.locator('[data-line="added"]')).toHaveText(['+Price: twelve dollars']);
  await expect(page.getByTestId('change-previous')).toHaveAttribute('href', `/dashboard/jobs/${first.id}`);

  await page.goto('/dashboard/jobs');
  await expect(page.getByTestId('job-row')).toHaveCount(3);
  await page.getByRole('switch', { name: 'Changed only' }).click();
  await expect(page).toHaveURL(/[?&]changed=true/);
  await expect(page.getByTestId('job-row')).toHaveCount(1);
  await expect(page.getByTestId('job-row')).toHaveAttribute('data-job-id', second.id);
  await expect(page.getByTestId('list-summary')).toContainText('of 1 job');
  // The filter is in the URL: a reload keeps it.
  await page.reload();
  await expect(page.getByRole('switch', { name: 'Changed only' })).toBeChecked();
  await expect(page.getByTestId('job-row')).toHaveCount(1);
});
