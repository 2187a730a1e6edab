import { describe, expect, it } from "vitest";
import { formatDayInZone, formatInZone, formatRelative, fromLocalInput, isLocalInput, isoDay, isTimeZone, toLocalInput } from "./dates.ts";

describe("dates", () => {
  it("reads wall-clock input in the community's zone, across daylight saving", () => {
    expect(new Date(fromLocalInput("2026-03-03T09:00", "Europe/Berlin")!).toISOString()).toBe("2026-03-03T08:00:00.000Z");
    expect(new Date(fromLocalInput("2026-07-03T09:00", "Europe/Berlin")!).toISOString()).toBe("2026-07-03T07:00:00.000Z");
    expect(new Date(fromLocalInput("2026-07-03T09:00", "America/New_York")!).toISOString()).toBe("2026-07-03T13:00:00.000Z");
  });

  it("refuses malformed input and unknown zones", () => {
    expect(fromLocalInput("3 March", "Europe/Berlin")).toBeNull();
    expect(fromLocalInput("2026-03-03T09:00", "Mars/Olympus")).toBeNull();
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("Nowhere")).toBe(false);
  });

  it.each(["2026-02-30T10:00", "2026-02-29T10:00", "2026-02-28T25:61", "2026-02-30T25:61", "2026-13-01T10:00", "2026-00-10T10:00", "2026-04-31T10:00", "2026-01-00T10:00", "0000-01-01T10:00", "1969-12-31T23:59", "2026-01-01T24:00", "2026-01-01T10:60"])(
    "refuses the impossible date %s instead of rolling it over",
    (value) => {
      expect(isLocalInput(value)).toBe(false);
      expect(fromLocalInput(value, "Europe/Berlin")).toBeNull();
    },
  );

  it("takes real edge dates", () => {
    for (const value of ["2028-02-29T00:00", "2026-12-31T23:59", "2026-04-30T00:00"]) expect(isLocalInput(value), value).toBe(true);
  });

  it("round-trips through the form's value", () => {
    const at = fromLocalInput("2026-11-30T17:45", "Asia/Tokyo")!;
    expect(toLocalInput(at, "Asia/Tokyo")).toBe("2026-11-30T17:45");
  });

  it("shows absolute dates in the zone", () => {
    const at = Date.UTC(2026, 2, 3, 8, 0);
    expect(formatInZone(at, "Europe/Berlin")).toBe("Tuesday, 3 March 2026 at 09:00 CET");
    expect(formatDayInZone(at, "Pacific/Auckland")).toBe("3 March 2026");
  });

  it("says how far away a moment is", () => {
    const now = Date.UTC(2026, 0, 1);
    expect(formatRelative(now + 3 * 86_400_000 + 5000, now)).toBe("in 3 days");
    expect(formatRelative(now + 5 * 3_600_000, now)).toBe("in 5 hours");
    expect(formatRelative(now - 2 * 86_400_000, now)).toBe("2 days ago");
    expect(formatRelative(now + 30_000, now)).toBe("in less than a minute");
  });
});

describe("isoDay", () => {
  it("names the UTC calendar day, whatever the hour", () => {
    expect(isoDay(Date.UTC(2026, 2, 4, 0, 0))).toBe("2026-03-04");
    expect(isoDay(Date.UTC(2026, 2, 4, 23, 59, 59, 999))).toBe("2026-03-04");
    expect(isoDay(Date.UTC(2026, 11, 31, 23, 30))).toBe("2026-12-31");
  });
});

describe("timeZoneOptions", () => {
  it("offers UTC first, and every zone it offers is valid", async () => {
    const { timeZoneOptions } = await import("./dates.ts");
    const zones = timeZoneOptions();
    expect(zones[0]).toBe("UTC");
    expect(zones).toContain("Europe/Berlin");
    expect(zones.every(isTimeZone)).toBe(true);
  });
});
