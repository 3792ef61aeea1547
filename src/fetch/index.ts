// The API client and its parts in one import: `import { apiClient, ApiError, tokenCache } from '../fetch/index.ts'`.
// Usage examples are at the top of client.ts.
export * from './client.ts';
export * from './oauth.ts';
export { apiRequest, apiRequestBytes, TransportError, type ApiRequestLimits } from './api-request.ts';
