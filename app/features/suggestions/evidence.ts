import type { ShownImage } from "#app/features/attachments/attachments.server.ts";

/** The image a highlight kept, from its joined columns; served under its post's rules (a hidden post's image answers 404). */
export function evidenceImage(e: { image_id: string | null; image_alt: string | null; image_width: number | null; image_height: number | null; image_thumb_width: number | null; image_thumb_height: number | null }): ShownImage | null {
  if (!e.image_id) return null;
  return { id: e.image_id, alt: e.image_alt ?? "", width: e.image_width ?? 0, height: e.image_height ?? 0, thumbWidth: e.image_thumb_width ?? 0, thumbHeight: e.image_thumb_height ?? 0 };
}
