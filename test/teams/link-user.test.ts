import { describe, expect, inject, it } from 'vitest';
import { createTeamsStore } from '#functions/teams/teams-store.ts';
import { linkTeamsUser } from '../../scripts/teams-link-user.ts';
import { createTestStack } from '../support/stack.ts';

describe('npm run teams:link-user', () => {
  it('links a Teams user to a project identity the bot then uses; refuses unknown roles', async () => {
    const stack = await createTestStack();
    const lines: string[] = [];
    const io = { stdout: (line: string) => lines.push(line), stderr: (line: string) => lines.push(line) };
    const base = [
      '--endpoint',
      inject('dynamoEndpoint'),
      '--table',
      stack.tableName,
      '--tenant',
      't-1',
      '--aad',
      'a-1',
    ];
    expect(
      await linkTeamsUser(
        [...base, '--user', 'cw-7', '--org', 'county-a', '--unit', 'unit-1', '--roles', 'caseworker'],
        io,
      ),
    ).toBe(0);
    expect(await createTeamsStore(stack.doc, stack.tableName).principalOf('t-1', 'a-1')).toEqual({
      userId: 'cw-7',
      org: 'county-a',
      unit: 'unit-1',
      roles: ['caseworker'],
    });
    expect(await linkTeamsUser([...base, '--user', 'cw-7', '--org', 'county-a', '--roles', 'root'], io)).toBe(
      2,
    );
    expect(lines.join('\n')).toMatch(/roles/);
  });
});
