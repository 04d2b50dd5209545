/** OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`. */

const error = { $ref: '#/components/schemas/Error' };
const siteIdParam = { name: 'siteId', in: 'path', required: true, schema: { type: 'string' } };
const notFound = { description: 'No such site', content: { 'application/json': { schema: error } } };

export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'syncready control plane', version: '1' },
  paths: {
    '/api/v1/sites': {
      get: {
        summary: 'Sites that have connected, with their current generation',
        responses: { '200': { description: 'Sites', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Site' } } } } } } } },
      },
    },
    '/api/v1/sites/{siteId}': {
      get: { summary: 'One site', parameters: [siteIdParam], responses: { '200': { description: 'The site', content: { 'application/json': { schema: { $ref: '#/components/schemas/Site' } } } }, '404': notFound } },
    },
    '/api/v1/sites/{siteId}/objects': {
      get: {
        summary: "Objects of the site's current generation, ordered by objectGuid (keyset paging)",
        parameters: [
          siteIdParam,
          { name: 'class', in: 'query', schema: { enum: ['user', 'group', 'contact', 'computer'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          { name: 'cursor', in: 'query', description: 'nextCursor of the previous page', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'A page of objects',
            content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/DirectoryObject' } }, nextCursor: { type: ['string', 'null'] } } } } },
          },
          '400': { description: 'Invalid query', content: { 'application/json': { schema: error } } },
          '404': notFound,
        },
      },
    },
    '/api/v1/sites/{siteId}/summary': {
      get: { summary: 'Counts per class, forest facts and last snapshot time', parameters: [siteIdParam], responses: { '200': { description: 'Summary' }, '404': notFound } },
    },
  },
  components: {
    schemas: {
      Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } } },
      Site: {
        type: 'object',
        properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' }, currentGenerationId: { type: ['integer', 'null'] }, lastSnapshotAt: { type: ['string', 'null'] } },
      },
      DirectoryObject: {
        type: 'object',
        properties: {
          objectGuid: { type: 'string', format: 'uuid' },
          distinguishedName: { type: 'string' },
          kind: { enum: ['user', 'group', 'contact', 'computer'] },
          usnChanged: { type: 'integer' },
          attributes: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
  },
} as const;
