import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { DAY, SECOND, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { editPost, replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { moderatePost } from "#app/features/discussions/moderating.server.ts";
import { readThread } from "#app/features/discussions/reading.server.ts";
import { eraseAccount } from "#app/features/privacy/privacy.server.ts";
import { storeImage } from "./attachments.server.ts";
import { openImage } from "#app/features/discussions/post-images.server.ts";
import { localStorage, useStorage } from "./storage.server.ts";

const START = Date.UTC(2026, 2, 3, 8);
const png = (width = 64, height = 48) => sharp({ create: { width, height, channels: 3, background: "#3366cc" } }).png().toBuffer();

describe.each(testEngines())("attachments on %s (local storage)", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  let lena: Actor;
  let sam: Actor;
  let outsider: Actor;
  let slug = "";
  let otherSlug = "";
  const dir = mkdtempSync(join(tmpdir(), "cohort-attachments-"));
  let n = 0;
  const person = async (role: Actor["role"]): Promise<Actor> => {
    const { userId } = await createAccount(t.db, { email: `a${++n}@example.com`, displayName: `Person ${n}`, password: "password!", role });
    return { id: userId, role };
  };
  const files = () => readdirSync(dir, { recursive: true }).filter((f) => String(f).includes("."));
  const status = (promise: Promise<unknown>) =>
    promise.then(
      () => 200,
      (e: { status?: number }) => e.status,
    );

  beforeAll(async () => {
    useStorage(localStorage(dir));
    t = await createTestDatabase(engine);
    moderator = await person("moderator");
    lena = await person("member");
    sam = await person("member");
    outsider = await person("member");
    setClock(START - DAY);
    for (const [name, members] of [
      ["pictures", [lena, sam]],
      ["elsewhere", [outsider]],
    ] as const) {
      await createCommunity(t.db, moderator, { name: `Pictures ${name}`, slug: name, purpose: "A community to show things in.", timeZone: "UTC", startsAt: "2026-03-03T08:00", endsAt: "2026-03-17T08:00" });
      await publishCommunity(t.db, moderator, name);
      const { community } = await getCommunityForActor(t.db, moderator, name);
      for (const m of members) await addMember(t.db, { communityId: community.id, userId: m.id, role: "participant", datesConfirmedAt: 1 });
    }
    slug = "pictures";
    otherSlug = "elsewhere";
  });
  afterAll(async () => {
    useStorage(null);
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => resetClock());

  it("stores an upload pending (only its uploader sees it), attaches it to an answer, and serves it to readers of the post only", async () => {
    setClock(START + SECOND);
    const { threadId } = await startThread(t.db, moderator, slug, { title: "Show us your dashboard", body: "A screenshot, please.", prompt: { masked: true, appearsAt: null } });
    advanceClock(10 * SECOND);
    const image = await storeImage(t.db, lena, slug, await png());
    expect(image).toMatchObject({ width: 64, height: 48 });
    expect(await status(openImage(t.db, lena, image.id, "thumb"))).toBe(200);
    expect(await status(openImage(t.db, sam, image.id, "thumb"))).toBe(404);
    expect(await status(openImage(t.db, moderator, image.id, "thumb"))).toBe(404);

    const { replyId } = await replyToThread(t.db, lena, slug, threadId, { body: "Here it is.", images: [{ id: image.id, alt: "My dashboard with three charts" }] });
    const page = await readThread(t.db, lena, slug, threadId);
    expect(page.replies.find((r) => r.id === replyId)?.images).toEqual([{ id: image.id, alt: "My dashboard with three charts", width: 64, height: 48, thumbWidth: 64, thumbHeight: 48 }]);

    const served = await openImage(t.db, moderator, image.id, "full");
    expect(served.contentType).toBe("image/png");
    expect((await sharp(Buffer.from(await new Response(served.file.body).arrayBuffer())).metadata()).format).toBe("png");
    expect((await openImage(t.db, moderator, image.id, "thumb")).contentType).toBe("image/webp");
    // A masked prompt: Sam has not answered, so the answer's image is not there for him; an outsider, a visitor, a made-up id: 404 alike.
    expect(await status(openImage(t.db, sam, image.id, "full"))).toBe(404);
    expect(await status(openImage(t.db, outsider, image.id, "full"))).toBe(404);
    expect(await status(openImage(t.db, null, image.id, "full"))).toBe(404);
    expect(await status(openImage(t.db, sam, "nosuchimage", "full"))).toBe(404);
    advanceClock(10 * SECOND);
    await replyToThread(t.db, sam, slug, threadId, { body: "Mine has no charts." });
    expect(await status(openImage(t.db, sam, image.id, "full"))).toBe(200);

    // Hidden by a moderator: gone for participants, still there for moderators and its author.
    await moderatePost(t.db, moderator, slug, threadId, { kind: "reply", id: replyId }, "hide");
    expect(await status(openImage(t.db, sam, image.id, "full"))).toBe(404);
    expect(await status(openImage(t.db, moderator, image.id, "full"))).toBe(200);
    expect((await readThread(t.db, sam, slug, threadId)).replies.find((r) => r.id === replyId)?.images).toEqual([]);
  });

  it("attaches only the member's own pending images of this community, at most four to a post, and edits add and remove them", async () => {
    setClock(START + DAY);
    const mine = await storeImage(t.db, lena, slug, await png());
    const samsImage = await storeImage(t.db, sam, slug, await png());
    const refusal = await refusalOf(startThread(t.db, lena, slug, { title: "Not mine", body: "Trying another's image", images: [{ id: samsImage.id, alt: "" }] }));
    expect(refusal.message).toBe("One of the images is no longer there; attach it again.");
    // Refused in another community too.
    expect((await refusalOf(storeImage(t.db, lena, otherSlug, await png()))).status).toBe(404);

    advanceClock(20 * SECOND);
    const { threadId } = await startThread(t.db, lena, slug, { title: "My desk", body: "Monday morning", images: [{ id: mine.id, alt: "A desk" }] });
    const more = await Promise.all([1, 2, 3, 4].map(async () => storeImage(t.db, lena, slug, await png(20, 20))));
    advanceClock(20 * SECOND);
    const tooMany = await refusalOf(editPost(t.db, lena, slug, threadId, { kind: "thread", id: threadId }, { body: "Monday", images: more.map((m) => ({ id: m.id, alt: "" })) }));
    expect(tooMany.message).toBe("A post can carry at most 4 images.");
    expect((await readThread(t.db, lena, slug, threadId)).opening.images.map((i) => i.id)).toEqual([mine.id]);

    await editPost(t.db, lena, slug, threadId, { kind: "thread", id: threadId }, { body: "Monday", images: more.slice(0, 2).map((m) => ({ id: m.id, alt: "more" })), removeImages: [mine.id] });
    const after = (await readThread(t.db, lena, slug, threadId)).opening.images;
    expect(after.map((i) => i.id)).toEqual(more.slice(0, 2).map((m) => m.id));
    expect(await status(openImage(t.db, lena, mine.id, "full"))).toBe(404);
    expect(files().some((f) => String(f).includes(mine.id))).toBe(false);
  });

  it("erasure deletes every file the member uploaded", async () => {
    setClock(START + 2 * DAY);
    const eraser = await person("member");
    const { community } = await getCommunityForActor(t.db, moderator, slug);
    await addMember(t.db, { communityId: community.id, userId: eraser.id, role: "participant", datesConfirmedAt: 1 });
    const image = await storeImage(t.db, eraser, slug, await png());
    await startThread(t.db, eraser, slug, { title: "Soon gone", body: "A picture of me", images: [{ id: image.id, alt: "Me" }] });
    expect(files().filter((f) => String(f).includes(image.id))).toHaveLength(2);
    await eraseAccount(t.db, eraser, "password!");
    expect(files().filter((f) => String(f).includes(image.id))).toHaveLength(0);
    expect(await t.db.selectFrom("attachments").select("id").where("owner_id", "=", eraser.id).execute()).toEqual([]);
  });

  it("refuses what is not an image before storing anything", async () => {
    setClock(START + 3 * DAY);
    const before = files().length;
    const refusal = await refusalOf(storeImage(t.db, lena, slug, Buffer.from("<html><script>alert(1)</script></html>")));
    expect(refusal.message).toBe("That file is not an image we can use: send a PNG, JPEG, WebP or GIF.");
    expect(files().length).toBe(before);
  });
});
