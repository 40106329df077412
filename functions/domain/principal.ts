import * as z from 'zod/mini';

/**
 * The roles of DOMAIN.md's users. In AWS they are Cognito groups (the `cognito:groups` claim); the dev
 * identity provider issues the same claim. A user may hold more than one.
 */
export const Role = z.enum(['caseworker', 'supervisor', 'shelter_staff', 'interviewer', 'administrator']);
export type Role = z.infer<typeof Role>;

const Slug = z.string().check(z.regex(/^[a-z0-9-]{1,64}$/));

/**
 * Who is calling: a user, the organisation whose records they may touch (a county, or a partner
 * organisation such as a shelter), the unit inside it (a supervisor sees their unit's work) and roles.
 */
export const Principal = z.object({
  // Never a `:`: task owners `queue:<unit>` and `supervisors:<unit>` (R-ROUTE-1) can't be impersonated by a user id.
  userId: z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[^:]+$/)),
  org: Slug,
  unit: Slug,
  roles: z.array(Role).check(z.minLength(1)),
});
export type Principal = z.infer<typeof Principal>;

/** An organisation with no units has one: every record still names a unit, so scoping has one rule. */
export const DEFAULT_UNIT = 'main';

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return principal.roles.some((role) => roles.includes(role));
}
