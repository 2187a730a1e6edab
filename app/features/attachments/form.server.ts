/**
 * Reading a post's form when it may carry images: Remix's multipart parser with an upload
 * handler that counts each image's bytes as they stream and stops at the limit (the HTTP
 * layer has already capped the whole body, server/request-body.ts). Text fields are capped
 * too. A form that is not multipart is read as usual.
 */
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { MAX_IMAGES_PER_POST, MAX_IMAGE_BYTES, megabytes } from "./limits.ts";
import { storeImage, type ImageChoice } from "./attachments.server.ts";

/** A form's text fields, and the image files it carried (by field name). */
export interface PostForm {
  fields: FormData;
  files: { field: string; bytes: Uint8Array }[];
}

/** The file fields of the form without JavaScript: one per image, each with its alt text field ("alt-image-1"). */
export const IMAGE_SLOTS = Array.from({ length: MAX_IMAGES_PER_POST }, (_, i) => `image-${i + 1}`);
/** An image uploaded ahead (with JavaScript) is named by id in this field; its alt text is "alt-<id>". */
export const ATTACHMENT_FIELD = "attachment";
/** On the edit form: images to take off the post. */
export const REMOVE_IMAGE_FIELD = "remove-image";
/** The upload endpoint's file field. */
export const UPLOAD_FIELD = "image";

const TEXT_LIMIT = 256 * 1024;

export async function readPostForm(request: Request): Promise<PostForm> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^multipart\/form-data/i.test(type)) return { fields: await request.formData(), files: [] };
  const files: PostForm["files"] = [];
  const handler: UploadHandler = async ({ name, filename, data }) => {
    const isImage = filename !== undefined && (IMAGE_SLOTS.includes(name) || name === UPLOAD_FIELD);
    const limit = isImage ? MAX_IMAGE_BYTES : TEXT_LIMIT;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.length;
      if (size > limit) {
        throw isImage
          ? new Refusal(413, `That image is larger than ${megabytes(MAX_IMAGE_BYTES)}; send a smaller one.`)
          : new Refusal(413, "A field of the form is too long.");
      }
      chunks.push(chunk);
    }
    const bytes = Buffer.concat(chunks, size);
    if (filename !== undefined) {
      // An empty file field (nothing chosen) sends an empty part with no name: nothing to keep.
      if (isImage && size > 0) {
        if (files.length >= MAX_IMAGES_PER_POST) throw new Refusal(422, `A post can carry at most ${MAX_IMAGES_PER_POST} images.`);
        files.push({ field: name, bytes });
      }
      return null;
    }
    return bytes.toString("utf8");
  };
  return { fields: await unstable_parseMultipartFormData(request, handler), files };
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/**
 * The images a post's form names, ready for its use case: files sent with the form (no
 * JavaScript) are processed and stored now, each with its alt text; images uploaded ahead
 * come by id. Refused before any processing when there are too many.
 */
export async function imagesOfForm(db: Kysely<Database>, actor: Actor, slug: string, form: PostForm): Promise<ImageChoice[]> {
  const ahead = form.fields.getAll(ATTACHMENT_FIELD).filter((v): v is string => typeof v === "string" && /^[a-z2-7]{1,40}$/.test(v));
  if (ahead.length + form.files.length > MAX_IMAGES_PER_POST) throw new Refusal(422, `A post can carry at most ${MAX_IMAGES_PER_POST} images.`);
  const choices: ImageChoice[] = ahead.map((id) => ({ id, alt: text(form.fields, `alt-${id}`) }));
  for (const file of form.files) {
    const stored = await storeImage(db, actor, slug, file.bytes);
    choices.push({ id: stored.id, alt: text(form.fields, `alt-${file.field}`) });
  }
  return choices;
}

/** The ids the edit form asks to take off the post. */
export function imagesToRemove(form: PostForm): string[] {
  return form.fields.getAll(REMOVE_IMAGE_FIELD).filter((v): v is string => typeof v === "string").slice(0, 20);
}
