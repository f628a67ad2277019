import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../ui/api.js';

/** Retries only what a retry can fix (network and 5xx); a 4xx is an answer. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        retry: (count, err) => count < 2 && (!(err instanceof ApiError) || err.status === 0 || err.status >= 500),
      },
      mutations: { retry: false },
    },
  });
}
