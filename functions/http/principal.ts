import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { UnauthenticatedError } from './errors.ts';

/** Who is calling: a user id and the organisation whose records they may touch. */
export const Principal = z.object({
  userId: z.string().check(z.minLength(1), z.maxLength(128)),
  org: z.string().check(z.regex(/^[a-z0-9-]{1,64}$/)),
});
export type Principal = z.infer<typeof Principal>;

const Claims = z.object({ sub: z.string(), 'custom:org': z.string() });

/**
 * Reads the claims that API Gateway's JWT authorizer has already verified. No claims, no access:
 * the API fails closed wherever no authorizer stands in front of it.
 */
export function principalOf(event: APIGatewayProxyEventV2): Principal {
  const context = event.requestContext as { authorizer?: { jwt?: { claims?: unknown } } };
  const claims = Claims.safeParse(context.authorizer?.jwt?.claims);
  if (!claims.success) throw new UnauthenticatedError();
  const principal = Principal.safeParse({ userId: claims.data.sub, org: claims.data['custom:org'] });
  if (!principal.success) throw new UnauthenticatedError();
  return principal.data;
}
