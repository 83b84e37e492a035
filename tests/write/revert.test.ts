import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const TEXT = 'Stalker (1979) runs 161 minutes. Some prints run 163 minutes. A drama.';
const CREATE = 'mutation ($input: CreateFilmInput!) { createFilm(input: $input) { film { id } userErrors { code } } }';
const UPDATE = 'mutation ($input: UpdateFilmInput!) { updateFilm(input: $input) { film { version } userErrors { code } } }';
const DELETE = 'mutation ($input: DeleteFilmInput!) { deleteFilm(input: $input) { userErrors { code } } }';
const REVERT = /* GraphQL */ `
  mutation ($input: RevertRevisionInput!) {
    revertRevision(input: $input) {
      revision {
        id
        action
        entityId
        changes {
          field
          before
          after
        }
        revertOf {
          id
        }
        changeSet {
          operationName
          note
        }
      }
      userErrors {
        field
        code
        message
        currentVersion
      }
    }
  }
`;
const FILM = 'query ($id: ID!) { node(id: $id) { ... on Film { version year runtimeMinutes revisions { nodes { id action } } } } }';

const api = useApi((db) => insertSource(db.prisma, 'stalker', TEXT).then(() => undefined));
let client: Client;
let write: Headers;
beforeAll(async () => {
  client = createClient(api.db);
  write = (await testKeys(api.db.prisma)).write.headers;
});

const cite = (excerpt: string) => [{ sourceSlug: 'stalker', excerpt }];
const film = async (id: string) => (await client.query(FILM, { id })).data!['node'];
const revert = async (id: string, version: number, note?: string) =>
  (await client.query(REVERT, { input: { id, version, note } }, write)).data!['revertRevision'];
const createStalker = async (slug: string) => {
  const result = await client.query(
    CREATE,
    { input: { title: 'Stalker', slug, year: 1979, runtimeMinutes: 161, citations: cite('Stalker (1979) runs 161 minutes.') } },
    write,
  );
  return result.data!['createFilm'].film.id as string;
};

test('reverting an UPDATE sets its fields back as a new REVERT revision, with the version check', async () => {
  const id = await createStalker('stalker');
  await client.query(UPDATE, { input: { id, version: 1, runtimeMinutes: 163, citations: cite('Some prints run 163 minutes.') } }, write);
  const update = (await film(id)).revisions.nodes[0];
  expect(update.action).toBe('UPDATE');

  const stale = await revert(update.id, 1);
  expect(stale).toEqual({ revision: null, userErrors: [{ field: ['input', 'version'], code: 'CONFLICT', currentVersion: 2, message: expect.any(String) }] });

  const done = await revert(update.id, 2, 'the 161-minute cut is the reference');
  expect(done.userErrors).toEqual([]);
  expect(done.revision).toMatchObject({
    action: 'REVERT',
    entityId: id,
    changes: [{ field: 'runtimeMinutes', before: 163, after: 161 }],
    revertOf: { id: update.id },
    changeSet: { operationName: 'revertRevision', note: 'the 161-minute cut is the reference' },
  });
  expect(await film(id)).toMatchObject({ version: 3, year: 1979, runtimeMinutes: 161 });

  // Reverting the revert re-applies the change.
  const again = await revert(done.revision.id, 3);
  expect(again.revision.changes).toEqual([{ field: 'runtimeMinutes', before: 161, after: 163 }]);
  expect(await film(id)).toMatchObject({ version: 4, runtimeMinutes: 163 });
});

test('reverting to values the entity already holds succeeds without a new revision', async () => {
  const id = await createStalker('stalker-same');
  await client.query(UPDATE, { input: { id, version: 1, runtimeMinutes: 163, citations: cite('Some prints run 163 minutes.') } }, write);
  await client.query(UPDATE, { input: { id, version: 2, runtimeMinutes: 161, citations: cite('Stalker (1979) runs 161 minutes.') } }, write);
  const [, first] = (await film(id)).revisions.nodes;
  const revisions = await api.db.prisma.revision.count();
  expect(await revert(first.id, 3)).toEqual({ revision: null, userErrors: [] });
  expect(await api.db.prisma.revision.count()).toBe(revisions);
  expect((await film(id)).version).toBe(3);
});

test('reverting a CREATE deletes the entity, as a DELETE revision that names what it reverted', async () => {
  const id = await createStalker('stalker-to-undo');
  const created = (await film(id)).revisions.nodes[0];
  const done = await revert(created.id, 1);
  expect(done.userErrors).toEqual([]);
  expect(done.revision).toMatchObject({ action: 'DELETE', entityId: id, revertOf: { id: created.id } });
  expect(await film(id)).toBeNull();
});

test('a DELETE revision is NOT_REVERTIBLE; an unknown revision is NOT_FOUND; a malformed id INVALID', async () => {
  const id = await createStalker('stalker-deleted');
  await client.query(DELETE, { input: { id, version: 1 } }, write);
  const deleted = await api.db.prisma.revision.findFirstOrThrow({
    where: { action: 'DELETE', entityId: Number(Buffer.from(id, 'base64').toString().split(':')[1]) },
  });
  const notRevertible = await revert(encodeGlobalID('Revision', deleted.id), 1);
  expect(notRevertible.userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual([['NOT_REVERTIBLE', ['input', 'id']]]);
  expect((await revert(encodeGlobalID('Revision', 999_999), 1)).userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_FOUND']);
  expect((await revert(id, 1)).userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual([['INVALID', ['input', 'id']]]);
});
