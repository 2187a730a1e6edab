import { useEffect, useRef, useState } from "react";
import type { ShownImage } from "./attachments.server.ts";
import { MAX_ALT_LENGTH, MAX_IMAGES_PER_POST, MAX_IMAGE_BYTES, megabytes } from "./limits.ts";

const ACCEPT = "image/png,image/jpeg,image/webp,image/gif,image/heic,image/heif";
const SLOTS = Array.from({ length: MAX_IMAGES_PER_POST }, (_, i) => `image-${i + 1}`);
const controlClass = "block w-full rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600";

export const imageUrl = (id: string, variant: "full" | "thumb") => `/attachments/${id}/${variant}`;
/** What a reader hears when the author gave no description. */
export const altOf = (image: Pick<ShownImage, "alt">, author?: string) => image.alt || (author ? `An image ${author} attached (not described)` : "An attached image (not described)");

/** A post's images as thumbnails, each opening the full size; the thumbnail's size is reserved so nothing jumps. */
export function PostImages({ images, author }: { images: ShownImage[]; author?: string }) {
  if (!images.length) return null;
  return (
    <ul className="mt-3 flex flex-wrap gap-2" aria-label={images.length === 1 ? "Image" : `${images.length} images`} data-post-images>
      {images.map((image) => (
        <li key={image.id}>
          <a href={imageUrl(image.id, "full")} className="block" target="_blank" rel="noopener">
            <img
              src={imageUrl(image.id, "thumb")}
              alt={altOf(image, author)}
              width={image.thumbWidth}
              height={image.thumbHeight}
              loading="lazy"
              decoding="async"
              className="h-auto max-h-64 w-auto max-w-full rounded-md bg-slate-100 ring-1 ring-slate-200"
            />
          </a>
        </li>
      ))}
    </ul>
  );
}

/** An image kept as evidence: a larger thumbnail opening the full size. */
export function EvidenceImage({ image }: { image: ShownImage | null | undefined }) {
  if (!image) return null;
  return (
    <a href={imageUrl(image.id, "full")} className="mt-2 block w-fit" target="_blank" rel="noopener" data-evidence-image>
      <img src={imageUrl(image.id, "thumb")} alt={altOf(image)} width={image.thumbWidth} height={image.thumbHeight} loading="lazy" className="h-auto max-h-56 w-auto max-w-full rounded-md ring-1 ring-slate-200" />
    </a>
  );
}

interface Upload {
  key: number;
  name: string;
  loaded: number;
  total: number;
  image: ShownImage | null;
  error: string | null;
  alt: string;
}

/**
 * The images part of a post's form. Without JavaScript: a file field and an alt text field
 * per image, sent with the form. With it: pick, drop or paste images; each uploads at once
 * with its progress and shows its preview (a thumbnail from this site, so img-src stays
 * 'self'), then the form names it by id with its alt text. An edit form lists the post's
 * images with a box to take each off.
 */
export function ImageFields({ slug, idPrefix, existing = [] }: { slug: string; idPrefix: string; existing?: ShownImage[] }) {
  const [enhanced, setEnhanced] = useState(false);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string[]>([]);
  const root = useRef<HTMLDivElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const counter = useRef(0);
  const room = MAX_IMAGES_PER_POST - (existing.length - removing.length) - uploads.filter((u) => !u.error).length;
  const roomRef = useRef(room);
  roomRef.current = room;

  useEffect(() => setEnhanced(true), []);

  function update(key: number, change: Partial<Upload>) {
    setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...change } : u)));
  }

  function add(files: File[]) {
    const images = files.filter((f) => f.type.startsWith("image/") || f.type === "");
    if (!images.length) return;
    const taken = images.slice(0, Math.max(0, roomRef.current));
    setMessage(taken.length < images.length ? `A post can carry at most ${MAX_IMAGES_PER_POST} images; the rest were left out.` : null);
    for (const file of taken) {
      const key = ++counter.current;
      const name = file.name || "Pasted image";
      if (file.size > MAX_IMAGE_BYTES) {
        setUploads((list) => [...list, { key, name, loaded: 0, total: file.size, image: null, error: `Larger than ${megabytes(MAX_IMAGE_BYTES)}; choose a smaller image.`, alt: "" }]);
        continue;
      }
      setUploads((list) => [...list, { key, name, loaded: 0, total: file.size, image: null, error: null, alt: "" }]);
      const body = new FormData();
      body.append("image", file, name);
      const request = new XMLHttpRequest();
      request.open("POST", `/c/${slug}/attachments`);
      request.responseType = "json";
      request.upload.onprogress = (event) => update(key, { loaded: event.loaded, total: event.total || file.size });
      request.onload = () => {
        const answer = request.response as { image?: ShownImage; error?: string } | null;
        if (request.status === 200 && answer?.image) update(key, { image: answer.image, loaded: file.size });
        else update(key, { error: answer?.error ?? (request.status === 413 ? "That image is too large." : "The upload failed; try again.") });
      };
      request.onerror = () => update(key, { error: "The upload failed; check your connection and try again." });
      request.send(body);
    }
  }
  const addRef = useRef(add);
  addRef.current = add;

  // Paste a screenshot anywhere in the form, or drop images on it.
  useEffect(() => {
    const form = root.current?.closest("form");
    if (!enhanced || !form) return;
    const onPaste = (event: ClipboardEvent) => {
      const files = [...(event.clipboardData?.files ?? [])].filter((f) => f.type.startsWith("image/"));
      if (!files.length) return;
      event.preventDefault();
      addRef.current(files);
    };
    const onDragOver = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes("Files")) event.preventDefault();
    };
    const onDrop = (event: DragEvent) => {
      const files = [...(event.dataTransfer?.files ?? [])];
      if (!files.length) return;
      event.preventDefault();
      addRef.current(files);
    };
    // Sending while an image is still on its way would leave it out.
    const onSubmit = (event: SubmitEvent) => {
      if (root.current?.querySelector("[data-uploading]")) {
        event.preventDefault();
        event.stopImmediatePropagation();
        setMessage("Wait a moment: an image is still uploading.");
      }
    };
    form.addEventListener("paste", onPaste);
    form.addEventListener("dragover", onDragOver);
    form.addEventListener("drop", onDrop);
    form.addEventListener("submit", onSubmit, true);
    return () => {
      form.removeEventListener("paste", onPaste);
      form.removeEventListener("dragover", onDragOver);
      form.removeEventListener("drop", onDrop);
      form.removeEventListener("submit", onSubmit, true);
    };
  }, [enhanced]);

  const existingList = existing.length ? (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Images on this post</legend>
      <ul className="flex flex-wrap gap-3">
        {existing.map((image) => (
          <li key={image.id} className="space-y-1 text-sm">
            <img src={imageUrl(image.id, "thumb")} alt={altOf(image)} width={image.thumbWidth} height={image.thumbHeight} className="h-auto max-h-24 w-auto rounded ring-1 ring-slate-200" />
            <input type="hidden" name="attachment" value={image.id} />
            <label className="block">
              <span className="sr-only">Description of this image</span>
              <input name={`alt-${image.id}`} defaultValue={image.alt} maxLength={MAX_ALT_LENGTH} placeholder="Describe it" className={controlClass} />
            </label>
            <label className="flex items-center gap-1">
              <input
                type="checkbox"
                name="remove-image"
                value={image.id}
                onChange={(event) => setRemoving((list) => (event.target.checked ? [...list, image.id] : list.filter((id) => id !== image.id)))}
              />
              Remove
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  ) : null;

  if (!enhanced) {
    return (
      <div ref={root} className="space-y-2">
        {existingList}
        <details className="rounded-md bg-slate-50 p-3 text-sm ring-1 ring-slate-200">
          <summary className="cursor-pointer font-medium">Add images (PNG, JPEG, WebP or GIF, up to {megabytes(MAX_IMAGE_BYTES)} each)</summary>
          <div className="mt-2 space-y-3">
            {SLOTS.slice(0, Math.max(0, MAX_IMAGES_PER_POST - existing.length)).map((slot, i) => (
              <div key={slot} className="grid gap-2 sm:grid-cols-2">
                <label className="block">
                  <span className="block text-slate-700">Image {i + 1}</span>
                  <input type="file" name={slot} accept={ACCEPT} className="block w-full text-sm" id={`${idPrefix}-${slot}`} />
                </label>
                <label className="block">
                  <span className="block text-slate-700">What it shows (for people who cannot see it)</span>
                  <input name={`alt-${slot}`} maxLength={MAX_ALT_LENGTH} className={controlClass} />
                </label>
              </div>
            ))}
          </div>
        </details>
      </div>
    );
  }

  return (
    <div ref={root} className="space-y-2" data-image-fields>
      {existingList}
      <div className="flex flex-wrap items-center gap-3 rounded-md border border-dashed border-slate-300 p-3 text-sm text-slate-600">
        <button type="button" className="rounded-md bg-white px-3 py-1.5 font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-60" onClick={() => picker.current?.click()} disabled={room <= 0}>
          Add images
        </button>
        <span>or paste a screenshot, or drop images here. Up to {MAX_IMAGES_PER_POST}, {megabytes(MAX_IMAGE_BYTES)} each.</span>
        <input
          ref={picker}
          type="file"
          accept={ACCEPT}
          multiple
          hidden
          aria-label="Choose images"
          data-image-picker
          onChange={(event) => {
            addRef.current([...(event.target.files ?? [])]);
            event.target.value = "";
          }}
        />
      </div>
      {message ? (
        <p role="status" className="text-sm text-amber-800">
          {message}
        </p>
      ) : null}
      {uploads.length ? (
        <ul className="space-y-2" aria-live="polite">
          {uploads.map((upload) => (
            <li key={upload.key} className="flex items-start gap-3 rounded-md bg-slate-50 p-2 text-sm ring-1 ring-slate-200" data-uploading={upload.image || upload.error ? undefined : ""}>
              {upload.image ? (
                <img src={imageUrl(upload.image.id, "thumb")} alt="" width={upload.image.thumbWidth} height={upload.image.thumbHeight} className="h-16 w-auto rounded ring-1 ring-slate-200" />
              ) : (
                <span className="flex h-16 w-16 items-center justify-center rounded bg-slate-200 text-xs text-slate-500">{upload.error ? "!" : "…"}</span>
              )}
              <div className="min-w-0 flex-1 space-y-1">
                <p className="truncate font-medium">{upload.name}</p>
                {upload.error ? (
                  <p className="text-red-700" role="alert">
                    {upload.error}
                  </p>
                ) : upload.image ? (
                  <>
                    <input type="hidden" name="attachment" value={upload.image.id} />
                    <label className="block">
                      <span className="block text-slate-700">What it shows (for people who cannot see it)</span>
                      <input
                        name={`alt-${upload.image.id}`}
                        value={upload.alt}
                        onChange={(event) => update(upload.key, { alt: event.target.value })}
                        maxLength={MAX_ALT_LENGTH}
                        className={controlClass}
                      />
                    </label>
                  </>
                ) : (
                  <progress max={upload.total || 1} value={upload.loaded} className="w-full" aria-label={`Uploading ${upload.name}`}>
                    {Math.round((100 * upload.loaded) / (upload.total || 1))}%
                  </progress>
                )}
              </div>
              <button type="button" className="rounded px-2 py-1 text-slate-600 hover:bg-slate-200" onClick={() => setUploads((list) => list.filter((u) => u.key !== upload.key))}>
                Remove<span className="sr-only"> {upload.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
