/**
 * The limits on images, in one place: the upload handler, the processor, the forms and the
 * HTTP layer's body limit (server/request-body.ts) all read them from here.
 */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Decoded size: 40 megapixels (a 7,000 × 5,700 photo). Past it an image is refused before it is decoded. */
export const MAX_IMAGE_PIXELS = 40_000_000;
export const MAX_IMAGES_PER_POST = 4;
/** The longest side kept; larger images are scaled down. */
export const LONGEST_SIDE = 2048;
export const THUMB_SIDE = 480;
export const MAX_ALT_LENGTH = 300;
/** What a multipart form carrying images may weigh: every image at its limit, and the text. */
export const UPLOAD_BODY_LIMIT = MAX_IMAGES_PER_POST * MAX_IMAGE_BYTES + 1024 * 1024;
/** The pages whose forms take images (their action paths): a community's new thread, a thread's reply or edit, ideas, and the upload endpoint. */
export const UPLOAD_PATHS = /^\/c\/[^/]+(\/t\/[^/]+|\/ideas|\/attachments)?\/?$/;

export const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
