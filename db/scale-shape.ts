/**
 * The version of the shape db/seed-scale.ts gives a benchmark database. It is written into the
 * bench's fixture file; bench/run.ts seeds again when a kept database has an older shape.
 * 2: the benchmark community's idea list is a full page in the thousand-post database too.
 */
export const SCALE_SHAPE = 2;
