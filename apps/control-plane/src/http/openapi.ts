/** OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`. */

const error = { $ref: '#/components/schemas/Error' };
const siteIdParam = { name: 'siteId', in: 'path', required: true, schema: { type: 'string' } };
const notFound = { description: 'No such site', content: { 'application/json': { schema: error } } };
const unauthenticated = { description: 'No valid credential (API.UNAUTHENTICATED); 429 API.RATE_LIMITED after repeated failures', content: { 'application/json': { schema: error } } };
const forbidden = { description: 'The credential role is too small (API.FORBIDDEN)', content: { 'application/json': { schema: error } } };

export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'syncready control plane', version: '1' },
  // Every route but this document needs a credential; 401 without one, 403 for too small a
  // role, 404 for another organization's resources (as for missing ones).
  security: [{ bearer: [] }],
  paths: {
    '/api/v1/organizations': {
      get: { summary: 'Organizations the credential sees (viewer)', responses: { '200': { description: 'Organizations' }, '401': unauthenticated } },
    },
    '/api/v1/audit': {
      get: {
        summary: 'Security events of the organizations the credential manages, newest first (admin)',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
        ],
        responses: { '200': { description: 'A page of audit events' }, '401': unauthenticated, '403': forbidden },
      },
    },
    '/api/v1/sites/{siteId}/checks': {
      post: {
        summary: "Re-runs the readiness checks on the site's current generation (operator)",
        parameters: [siteIdParam],
        responses: { '200': { description: 'Checks stored' }, '401': unauthenticated, '403': forbidden, '404': notFound, '409': { description: 'No committed generation yet' } },
      },
    },
    '/api/v1/sites/{siteId}/sync': {
      post: {
        summary: "Asks the site's connected agent to run a cycle now: a delta ({\"mode\": \"delta\"}, the default) or a full snapshot ({\"mode\": \"full\"}, a resync) (operator)",
        parameters: [siteIdParam],
        requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { mode: { type: 'string', enum: ['delta', 'full'], default: 'delta' } }, additionalProperties: false } } } },
        responses: {
          '202': { description: 'The agents asked; the cycle shows in the site summary once committed' },
          '400': { description: 'Invalid body' },
          '401': unauthenticated,
          '403': forbidden,
          '404': notFound,
          '409': { description: 'No agent of the site is connected with a version that takes sync requests' },
        },
      },
    },
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
    '/api/v1/sites/{siteId}/findings': {
      get: {
        summary: "Readiness findings of the site's current generation, in the engine's order",
        parameters: [
          siteIdParam,
          { name: 'severity', in: 'query', schema: { enum: ['error', 'warning', 'info'] } },
          { name: 'rule', in: 'query', description: 'ruleId', schema: { type: 'string' } },
          { name: 'attribute', in: 'query', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
          { name: 'format', in: 'query', description: 'csv: IdFix columns, every matching finding', schema: { enum: ['json', 'csv'], default: 'json' } },
        ],
        responses: {
          '200': {
            description: "A page of findings; status 'pending' until the checks of the current generation are stored",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    generation: { type: ['integer', 'null'] },
                    status: { enum: ['pending', 'complete'] },
                    items: { type: 'array', items: { $ref: '#/components/schemas/Finding' } },
                    nextCursor: { type: ['string', 'null'] },
                  },
                },
              },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          '400': { description: 'Invalid query', content: { 'application/json': { schema: error } } },
          '404': notFound,
          '409': { description: 'CSV asked for before the findings are computed', content: { 'application/json': { schema: error } } },
        },
      },
    },
    '/api/v1/tenants/{tenant}/findings': {
      get: {
        summary: 'Duplicates between the forests of sites that sync to the same tenant',
        parameters: [{ name: 'tenant', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'Cross-site duplicate findings, each with siteId and duplicateSiteIds' }, '404': notFound },
      },
    },
    '/api/v1/sites/{siteId}/summary': {
      get: { summary: 'Counts per class, forest facts and last snapshot time', parameters: [siteIdParam], responses: { '200': { description: 'Summary' }, '404': notFound } },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API credential, srk_…' } },
    schemas: {
      Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } } },
      Site: {
        type: 'object',
        properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' }, currentGenerationId: { type: ['integer', 'null'] }, lastSnapshotAt: { type: ['string', 'null'] } },
      },
      Finding: {
        type: 'object',
        properties: {
          ruleId: { type: 'string' },
          severity: { enum: ['error', 'warning', 'info'] },
          dn: { type: 'string' },
          objectGuid: { type: 'string' },
          objectClass: { type: 'string' },
          commonName: { type: 'string' },
          attribute: { type: 'string' },
          value: { type: 'string' },
          errors: { type: 'array', items: { enum: ['character', 'format', 'blank', 'duplicate', 'topleveldomain', 'domainpart', 'localpart', 'length'] } },
          suggestedValue: { type: ['string', 'null'] },
          action: { enum: ['edit', 'remove', 'complete'] },
          message: { type: 'string' },
          duplicates: { type: 'array', items: { type: 'object' } },
        },
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
