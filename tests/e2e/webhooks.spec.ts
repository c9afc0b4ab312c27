import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, fixtureUrl, test } from './support/fixtures';

// Webhooks in the dashboard: managing endpoints, a job's deliveries with Redeliver, and the toast
// when a watched job finishes. Deliveries go to a receiver in this test process on 127.0.0.1,
// which the e2e worker's egress allow-list lets through; nothing here reaches the internet.

async function startReceiver() {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('add, disable and delete an endpoint; secrets are masked until revealed and copy', async ({ page, user, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await user.signIn(page);
  await page.goto('/dashboard/jobs');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
  await expect(page).toHaveURL(/\/dashboard\/webhooks$/);
  await expect(page.getByTestId('empty-state')).toContainText('No endpoints yet');

  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const dialog = page.getByTestId('add-endpoint-dialog');
  // An internal address is refused, naming why.
  await dialog.getByLabel('Endpoint URL').fill('http://10.1.2.3/hook');
  await dialog.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Url must be reachable from the internet; its host is a private address');

  // An address the guard would refuse at delivery is never needed here: this user runs no jobs.
  await dialog.getByLabel('Endpoint URL').fill('https://hooks.example.com/scrapifie');
  await dialog.getByLabel('Description (optional)').fill('Order pipeline');
  await dialog.getByRole('checkbox', { name: /job\.cancelled/ }).uncheck();
  await dialog.getByRole('checkbox', { name: /job\.expired/ }).uncheck();
  await dialog.getByRole('button', { name: 'Add endpoint' }).click();
  const secretField = dialog.getByTestId('endpoint-secret');
  await expect(secretField).toHaveValue(/^whsec_\S{20,}$/);
  const secret = await secretField.inputValue();
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await dialog.getByRole('button', { name: 'Done' }).click();

  const row = page.getByTestId('endpoint-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('https://hooks.example.com/scrapifie');
  await expect(row).toContainText('Order pipeline');
  await expect(row.getByLabel('Events')).toHaveText(/job\.completed\s*job\.failed\s*batch\.completed/);
  await expect(row.getByTestId('secret-value')).not.toContainText(secret);
  await expect(row.getByTestId('secret-value')).toContainText(secret.slice(-4));
  await row.getByRole('button', { name: 'Reveal' }).click();
  await expect(row.getByTestId('secret-value')).toHaveText(secret);

  await row.getByRole('switch', { name: 'Disable endpoint' }).click();
  await expect(page.getByText('Endpoint disabled')).toBeVisible();
  await expect(row).toContainText('Disabled');
  await page.reload();
  await expect(page.getByTestId('endpoint-row')).toContainText('Disabled');

  // The account secret for jobs' own webhookUrl.
  await page.getByRole('button', { name: 'Reveal' }).last().click();
  await expect(page.getByLabel('Account signing secret')).toHaveText(/^whsec_\S{20,}$/);

  await page.getByTestId('endpoint-row').getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('delete-endpoint-dialog').getByRole('button', { name: 'Delete endpoint' }).click();
  await expect(page.getByText('Endpoint deleted')).toBeVisible();
  await expect(page.getByTestId('empty-state')).toBeVisible();
});

test('the job page lists its webhook delivery with attempts, and Redeliver adds one', async ({ page, user }) => {
  const receiver = await startReceiver();
  try {
    await user.signIn(page);
    const job = await user.submit({ url: `${fixtureUrl()}/page`, webhookUrl: receiver.url });
    await user.waitForStatus(job.id, 'completed');
    await page.goto(`/dashboard/jobs/${job.id}`);

    const panel = page.getByTestId('job-webhooks');
    const delivery = panel.getByTestId('webhook-delivery');
    await expect(delivery).toHaveAttribute('data-status', 'succeeded');
    await expect(delivery).toContainText('job.completed');
    await expect(delivery).toContainText(receiver.url);
    await expect(delivery.getByTestId('delivery-status')).toHaveText('Delivered');
    await expect(delivery.getByTestId('webhook-attempt')).toHaveCount(1);
    await expect(delivery.getByTestId('webhook-attempt')).toContainText('200');
    await expect(delivery.getByTestId('webhook-attempt')).toContainText(/\d+ ms/);

    await delivery.getByRole('button', { name: 'Redeliver' }).click();
    await expect(page.getByText(/^Redelivered: HTTP 200 in \d+ ms$/)).toBeVisible();
    await expect(delivery.getByTestId('webhook-attempt')).toHaveCount(2);
    await expect(delivery.getByTestId('webhook-attempt').last()).toContainText('(redeliver)');
    expect(receiver.bodies).toHaveLength(2);
    expect(JSON.parse(receiver.bodies[1]).id).toBe(JSON.parse(receiver.bodies[0]).id);
  } finally {
    await receiver.close();
  }
});

test('a toast when a watched job completes, on its page and on the jobs list', async ({ page, user }) => {
  await user.signIn(page);
  const watched = `${fixtureUrl()}/slow?ms=4000`;
  const slow = await user.submit({ url: watched });
  await page.goto(`/dashboard/jobs/${slow.id}`);
  const toast = page.locator('[data-sonner-toast]').filter({ hasText: 'Job completed' });
  await expect(toast).toContainText(watched, { timeout: 20_000 });

  const listedUrl = `${fixtureUrl()}/slow?ms=4001`;
  const listed = await user.submit({ url: listedUrl });
  await page.goto('/dashboard/jobs');
  const listToast = page.locator('[data-sonner-toast]').filter({ hasText: 'Job completed' }).filter({ hasText: listedUrl });
  await expect(listToast).toBeVisible({ timeout: 20_000 });
  await listToast.getByRole('button', { name: 'View' }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/jobs/${listed.id}$`));
});

test('"Send test event" delivers a made-up job.completed to the endpoint', async ({ page, user }) => {
  const receiver = await startReceiver();
  try {
    await user.signIn(page);
    await page.goto('/dashboard/webhooks');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByTestId('add-endpoint-dialog');
    await dialog.getByLabel('Endpoint URL').fill(receiver.url);
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    await dialog.getByRole('button', { name: 'Done' }).click();

    await page.getByTestId('endpoint-row').getByRole('button', { name: 'Send test event' }).click();
    await expect(page.getByText('Test event sent')).toBeVisible();
    await expect.poll(() => receiver.bodies.length).toBe(1);
    expect(JSON.parse(receiver.bodies[0])).toMatchObject({ type: 'job.completed', sequence: null, data: { status: 'completed', name: 'Test event' } });
  } finally {
    await receiver.close();
  }
});
