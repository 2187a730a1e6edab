import { crc32 } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { processImage } from "./processor.server.ts";

const photo = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } });

/** A PNG whose header claims huge dimensions: a decompression bomb never needs to be decoded to be refused. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk("IEND", Buffer.alloc(0))]);
}

describe("the image processor", () => {
  it("strips GPS and every other EXIF field from a JPEG, and applies its orientation to the pixels", async () => {
    const input = await photo(300, 200)
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { Make: "PhoneCo" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1", GPSLongitudeRef: "W", GPSLongitude: "0/1 7/1 0/1" } })
      .toBuffer();
    const before = await sharp(input).metadata();
    expect(before.exif?.toString("latin1")).toContain("PhoneCo");
    // The GPS IFD pointer tag (0x8825), in either byte order.
    expect(before.exif!.includes(Buffer.from([0x88, 0x25])) || before.exif!.includes(Buffer.from([0x25, 0x88]))).toBe(true);
    expect(before.orientation).toBe(6);

    const out = await processImage(input);
    expect(out.contentType).toBe("image/jpeg");
    const after = await sharp(out.full).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(out.full.includes(Buffer.from("PhoneCo"))).toBe(false);
    // Rotated a quarter turn: 300 × 200 stored as 200 × 300.
    expect([out.width, out.height]).toEqual([200, 300]);
    expect((await sharp(out.thumb).metadata()).format).toBe("webp");
  });

  it("decides the type from the bytes: HTML named .png is refused, a JPEG named anything is a JPEG", async () => {
    const html = Buffer.from("<!doctype html><html><script>alert(document.cookie)</script></html>");
    const refusal = await refusalOf(processImage(html));
    expect(refusal.status).toBe(422);
    expect(refusal.message).toBe("That file is not an image we can use: send a PNG, JPEG, WebP or GIF.");
  });

  it("refuses SVG, which is a document that can carry script", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>');
    expect((await refusalOf(processImage(svg))).message).toBe("That file is not an image we can use: send a PNG, JPEG, WebP or GIF.");
  });

  it("refuses a pixel bomb with a message before decoding it", async () => {
    const refusal = await refusalOf(processImage(pngClaiming(60_000, 60_000)));
    expect(refusal.status).toBe(413);
    expect(refusal.message).toBe("That image is 60,000 × 60,000 pixels; the limit is 40 megapixels.");
  });

  it("refuses a truncated file, and the process goes on processing the next one", async () => {
    const whole = await photo(400, 300).png().toBuffer();
    const refusal = await refusalOf(processImage(whole.subarray(0, Math.floor(whole.length / 2))));
    expect(refusal.status).toBe(422);
    expect(refusal.message).toBe("That image is damaged or incomplete; we could not read it. Try saving it again.");
    const next = await processImage(whole);
    expect([next.width, next.height]).toEqual([400, 300]);
  });

  it("caps the longest side at 2,048 px, keeps screenshots as PNG, and thumbnails at 480 px", async () => {
    const out = await processImage(await photo(4000, 1000).png().toBuffer());
    expect(out.contentType).toBe("image/png");
    expect([out.width, out.height]).toEqual([2048, 512]);
    expect([out.thumbWidth, out.thumbHeight]).toEqual([480, 120]);
  });

  it("keeps only the first frame of an animated GIF", async () => {
    const frame = (background: string) => sharp({ create: { width: 20, height: 20, channels: 4, background } }).png().toBuffer();
    const gif = await sharp([await frame("#3366cc"), await frame("#cc3366")], { join: { animated: true } }).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const out = await processImage(gif);
    expect(out.contentType).toBe("image/png");
    expect([out.width, out.height]).toEqual([20, 20]);
  });

  it("refuses an empty file", async () => {
    expect((await refusalOf(processImage(Buffer.alloc(0)))).message).toBe("That file is empty.");
  });
});
