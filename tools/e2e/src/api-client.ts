import { type DirectoryObject } from '@syncready/directory';

/** GET a JSON document; returns status and body. */
export async function getJson<T = unknown>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

/** Every object of a site's current generation, following the keyset cursor. */
export async function fetchAllObjects(baseUrl: string, siteId: string, kind?: string): Promise<DirectoryObject[]> {
  const objects: DirectoryObject[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '1000' });
    if (kind) query.set('class', kind);
    if (cursor) query.set('cursor', cursor);
    const { status, body } = await getJson<{ items: DirectoryObject[]; nextCursor: string | null }>(`${baseUrl}/api/v1/sites/${siteId}/objects?${query}`);
    if (status !== 200) throw new Error(`objects page answered ${status}: ${JSON.stringify(body)}`);
    objects.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return objects;
}
