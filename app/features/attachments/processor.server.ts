/**
 * Turn untrusted bytes into a safe image, or refuse them with a message a person understands.
 * The type comes from the bytes (libvips sniffs them), never from the name or a header; the
 * image is decoded and re-encoded (so nothing smuggled in survives), EXIF and GPS are
 * dropped, the orientation is applied to the pixels, the longest side is capped, and a
 * thumbnail is made. Only the first frame of an animation is kept. Anything libvips cannot
 * decode, or decodes only in part, is refused: an error is a rejected promise, never a crash.
 */
import sharp, { type Metadata } from "sharp";
import { Refusal } from "#app/lib/refusal.ts";
import { LONGEST_SIDE, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, THUMB_SIDE, megabytes } from "./limits.ts";

// Two cores are shared by the whole app: one libvips thread per image, and no cache of inputs.
sharp.concurrency(1);
sharp.cache(false);

export interface ProcessedImage {
  contentType: "image/png" | "image/jpeg" | "image/webp";
  full: Buffer;
  width: number;
  height: number;
  thumb: Buffer;
  thumbWidth: number;
  thumbHeight: number;
}

/** What each accepted input becomes: screenshots stay lossless PNG, photos JPEG, WebP stays WebP. */
const OUTPUT: Record<string, ProcessedImage["contentType"]> = {
  png: "image/png",
  gif: "image/png",
  jpeg: "image/jpeg",
  heif: "image/jpeg",
  webp: "image/webp",
};

const NOT_AN_IMAGE = "That file is not an image we can use: send a PNG, JPEG, WebP or GIF.";

export async function processImage(bytes: Uint8Array): Promise<ProcessedImage> {
  if (bytes.length === 0) throw new Refusal(422, "That file is empty.");
  if (bytes.length > MAX_IMAGE_BYTES) throw new Refusal(413, `That image is larger than ${megabytes(MAX_IMAGE_BYTES)}; send a smaller one.`);
  const options = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: "truncated", pages: 1, animated: false } as const;
  let meta: Metadata;
  try {
    // Reading the header decodes no pixels, so it runs without the pixel limit; the limit is checked next, with a message.
    meta = await sharp(bytes, { ...options, limitInputPixels: false }).metadata();
  } catch {
    throw new Refusal(422, NOT_AN_IMAGE);
  }
  const target = meta.format ? OUTPUT[meta.format] : undefined;
  // SVG, TIFF, RAW and the rest are refused: SVG is a document that can carry script.
  if (!target || !meta.width || !meta.height) throw new Refusal(422, NOT_AN_IMAGE);
  const pixels = meta.width * (meta.pageHeight ?? meta.height);
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new Refusal(
      413,
      `That image is ${meta.width.toLocaleString("en-GB")} × ${(meta.pageHeight ?? meta.height).toLocaleString("en-GB")} pixels; the limit is ${MAX_IMAGE_PIXELS / 1_000_000} megapixels.`,
    );
  }
  try {
    // rotate() with no angle applies the EXIF orientation; without withMetadata() nothing of
    // the input's metadata (EXIF, GPS, XMP, ICC comments) is written out.
    const decoded = sharp(bytes, options).rotate().resize({ width: LONGEST_SIDE, height: LONGEST_SIDE, fit: "inside", withoutEnlargement: true });
    const encoded =
      target === "image/png" ? decoded.png({ compressionLevel: 9, palette: meta.format === "gif" }) : target === "image/jpeg" ? decoded.jpeg({ quality: 82, mozjpeg: true }) : decoded.webp({ quality: 82 });
    const full = await encoded.toBuffer({ resolveWithObject: true });
    const thumb = await sharp(full.data).resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: "inside", withoutEnlargement: true }).webp({ quality: 75 }).toBuffer({ resolveWithObject: true });
    return {
      contentType: target,
      full: full.data,
      width: full.info.width,
      height: full.info.height,
      thumb: thumb.data,
      thumbWidth: thumb.info.width,
      thumbHeight: thumb.info.height,
    };
  } catch {
    throw new Refusal(422, "That image is damaged or incomplete; we could not read it. Try saving it again.");
  }
}
