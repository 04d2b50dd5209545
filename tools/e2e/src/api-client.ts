import { type DirectoryObject } from '@syncready/directory';

/** A request to the API with an optional credential (`Authorization: Bearer …`). */
export async function apiRequest<T = unknown>(
  method: string,
  url: string,
  credential?: string,
  body?: unknown,
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (credential !== undefined) headers['authorization'] = `Bearer ${credential}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (CSV export): hand back the text.
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** GET a JSON document with the given API credential; returns status and body. */
export async function getJson<T = unknown>(url: string, credential: string | undefined): Promise<{ status: number; body: T }> {
  const { status, body } = await apiRequest<T>('GET', url, credential);
  return { status, body };
}

/** The id of the site named `name` (sites are listed with the credential's scope); throws when there is none. */
export async function siteIdByName(baseUrl: string, credential: string | undefined, name: string): Promise<string> {
  const { body } = await getJson<{ items: { id: string; name: string }[] }>(`${baseUrl}/api/v1/sites`, credential);
  const site = body.items.find((s) => s.name === name);
  if (!site) throw new Error(`site ${name} not found in ${JSON.stringify(body)}`);
  return site.id;
}

/** Every object of a site's current generation, following the keyset cursor. */
export async function fetchAllObjects(baseUrl: string, credential: string, siteId: string, kind?: string): Promise<DirectoryObject[]> {
  const objects: DirectoryObject[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '1000' });
    if (kind) query.set('class', kind);
    if (cursor) query.set('cursor', cursor);
    const { status, body } = await getJson<{ items: DirectoryObject[]; nextCursor: string | null }>(`${baseUrl}/api/v1/sites/${siteId}/objects?${query}`, credential);
    if (status !== 200) throw new Error(`objects page answered ${status}: ${JSON.stringify(body)}`);
    objects.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return objects;
}
