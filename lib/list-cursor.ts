// The opaque `cursor` of GET /api/v1/jobs (keyset paging): the sort key of a page's last job,
// base64url JSON. It names its sort and order, so a cursor cannot be replayed under another.

export type ListCursor = {
  sort: string;
  order: 'asc' | 'desc';
  /** The last job's value of the sort column (the key id for the API key sort); none for createdAt. */
  value: string | number | null;
  createdAt: string;
  id: string;
};

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.order, cursor.value, cursor.createdAt, cursor.id])).toString('base64url');
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The cursor, or undefined when the text is not one encodeCursor made. */
export function decodeCursor(text: string): ListCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 5) return undefined;
    const [sort, order, value, createdAt, id] = parsed;
    const valueOk = value === null || typeof value === 'number' || (typeof value === 'string' && value.length <= 100);
    if (typeof sort !== 'string' || (order !== 'asc' && order !== 'desc') || !valueOk) return undefined;
    if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string' || !uuid.test(id)) return undefined;
    return { sort, order, value, createdAt, id };
  } catch {
    return undefined;
  }
}
