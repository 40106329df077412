import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DEFAULT_UNIT, type Principal, Role } from '../domain/principal.ts';

/**
 * Issue 18: what the user pool says of an account now. Teams links are a second identity store; without
 * this, disabling a user or taking them out of a group left their Teams access as it was.
 */
export interface AccountStanding {
  enabled: boolean;
  org: string | undefined;
  unit: string;
  roles: Role[];
}

export interface UserDirectory {
  /** The account as the user pool holds it now, or null if it no longer exists. */
  standingOf(userId: string): Promise<AccountStanding | null>;
}

/**
 * The principal a linked Teams user may act as now: the link, narrowed to the roles the user pool still
 * grants, in the organisation and unit it still places them in. Null when the account is gone, disabled,
 * moved to another organisation or unit, or left with none of the linked roles.
 */
export function currentPrincipal(linked: Principal, standing: AccountStanding | null): Principal | null {
  if (!standing?.enabled) return null;
  if (standing.org !== linked.org || standing.unit !== linked.unit) return null;
  const roles = linked.roles.filter((role) => standing.roles.includes(role));
  return roles.length === 0 ? null : { ...linked, roles };
}

/** Cognito: the account's status and attributes, and its groups (which are the roles, as in the ID token). */
export function cognitoDirectory(client: CognitoIdentityProviderClient, userPoolId: string): UserDirectory {
  return {
    async standingOf(userId) {
      try {
        const [user, groups] = await Promise.all([
          client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: userId })),
          client.send(
            new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: userId, Limit: 60 }),
          ),
        ]);
        const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
        return {
          enabled:
            user.Enabled === true && user.UserStatus !== 'ARCHIVED' && user.UserStatus !== 'COMPROMISED',
          org: attribute('custom:org'),
          unit: attribute('custom:unit') ?? DEFAULT_UNIT,
          roles: (groups.Groups ?? []).flatMap((group) => Role.safeParse(group.GroupName).data ?? []),
        };
      } catch (error) {
        if (error instanceof UserNotFoundException) return null;
        throw error;
      }
    },
  };
}

/**
 * A short cache per container: a Teams turn is a few activities a minute, and a minute is as long as a
 * disabled account may keep acting (the same order as an ID token's verification cache, far below its hour).
 */
export function cachedDirectory(directory: UserDirectory, clock: () => Date, ttlSeconds = 60): UserDirectory {
  const cache = new Map<string, { standing: AccountStanding | null; until: number }>();
  return {
    async standingOf(userId) {
      const now = clock().getTime();
      const hit = cache.get(userId);
      if (hit && hit.until > now) return hit.standing;
      const standing = await directory.standingOf(userId);
      if (cache.size >= 1000) cache.clear();
      cache.set(userId, { standing, until: now + ttlSeconds * 1000 });
      return standing;
    },
  };
}

export interface InMemoryDirectory extends UserDirectory {
  /** Sets what the directory says of an account; null removes it. */
  put(userId: string, standing: AccountStanding | null): void;
}

/** The local stand-in for the user pool (`npm start`'s demo accounts, tests): the same answers, in memory. */
export function inMemoryDirectory(accounts: Iterable<[string, AccountStanding]> = []): InMemoryDirectory {
  const byUser = new Map(accounts);
  return {
    async standingOf(userId) {
      return byUser.get(userId) ?? null;
    },
    put(userId, standing) {
      if (standing === null) byUser.delete(userId);
      else byUser.set(userId, standing);
    },
  };
}
