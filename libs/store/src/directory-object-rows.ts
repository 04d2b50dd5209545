import { isGuid, OBJECT_KINDS, type AttributeMap, type DirectoryObject } from '@syncready/directory';
import type { DirectoryObjectsTable } from './database-schema';
import { StoreError } from './store-error';

/** Columns of one `directory_objects` row; sizes insert chunks against parameter limits. */
export const OBJECT_COLUMN_COUNT = 6;

/**
 * Turns a batch into rows: validates each object, keeps one row per objectGuid (the highest
 * uSNChanged, the later one on a tie) and sorts by objectGuid.
 *
 * One row per key matters on PostgreSQL, where a multi-row upsert may not touch a row twice;
 * the sort gives concurrent writers the same lock order, so they cannot deadlock.
 */
export function toObjectRows(generationId: number, objects: readonly DirectoryObject[]): DirectoryObjectsTable[] {
  const byGuid = new Map<string, DirectoryObjectsTable>();
  for (const object of objects) {
    assertValidObject(object);
    const previous = byGuid.get(object.objectGuid);
    if (previous !== undefined && previous.usn_changed > object.usnChanged) continue;
    byGuid.set(object.objectGuid, {
      generation_id: generationId,
      object_guid: object.objectGuid,
      distinguished_name: object.distinguishedName,
      kind: object.kind,
      usn_changed: object.usnChanged,
      attributes_json: JSON.stringify(object.attributes),
    });
  }
  return [...byGuid.values()].sort((a, b) => (a.object_guid < b.object_guid ? -1 : a.object_guid > b.object_guid ? 1 : 0));
}

/** The columns listObjects and getObject read. */
export interface ObjectRow {
  object_guid: string;
  distinguished_name: string;
  kind: DirectoryObject['kind'];
  usn_changed: number;
  attributes_json: string;
}

/** A stored row back into the model; values come back exactly as written. */
export function fromObjectRow(row: ObjectRow): DirectoryObject {
  return {
    objectGuid: row.object_guid,
    distinguishedName: row.distinguished_name,
    kind: row.kind,
    usnChanged: row.usn_changed,
    // Written by toObjectRows from an AttributeMap; the database holds nothing else.
    attributes: JSON.parse(row.attributes_json) as AttributeMap,
  };
}

function assertValidObject(object: DirectoryObject): void {
  // The model promises lower-case canonical GUIDs; anything else would sort and compare
  // differently from the agent's view and could store one object twice.
  if (!isGuid(object.objectGuid) || object.objectGuid !== object.objectGuid.toLowerCase()) {
    invalid(`objectGuid ${JSON.stringify(object.objectGuid)} is not a lower-case canonical GUID`);
  }
  if (!OBJECT_KINDS.includes(object.kind)) invalid(`object ${object.objectGuid} has unknown kind ${JSON.stringify(object.kind)}`);
  if (!Number.isSafeInteger(object.usnChanged) || object.usnChanged < 0) {
    invalid(`object ${object.objectGuid} has invalid usnChanged ${object.usnChanged}`);
  }
}

function invalid(message: string): never {
  throw new StoreError('STORE.INVALID_ARGUMENT', message);
}
