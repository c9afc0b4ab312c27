/**
 * The dashboard session's account id, or null. Filled in by the dashboard's next-auth setup;
 * until a session exists, requests without an API key are unauthenticated.
 */
export async function getSessionAccountId(_req: Request): Promise<string | null> {
  return null;
}
