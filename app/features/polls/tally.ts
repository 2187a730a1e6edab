/**
 * Poll results from answers, with no I/O: counts per option, the average place of each
 * option in a ranked poll, and the same split by segment for staff.
 */
export interface PollChoiceRow {
  user_id: string;
  option_id: string;
  rank: number | null;
}

export interface OptionResult {
  id: string;
  label: string;
  /** Members who chose it. */
  count: number;
  /** Its share of the members who answered, 0 to 100. */
  percent: number;
  /** In a ranked poll, its average place among those who ranked it (1 = first); null otherwise. */
  averageRank: number | null;
}

export interface PollResultsView {
  answers: number;
  options: OptionResult[];
  /** Members who answered "Other". */
  other: number;
}

export function tallyPoll(options: { id: string; label: string }[], choices: PollChoiceRow[], answers: number, otherCount: number, ranked: boolean): PollResultsView {
  const counts = new Map<string, { count: number; rankSum: number; ranked: number }>();
  for (const c of choices) {
    const entry = counts.get(c.option_id) ?? { count: 0, rankSum: 0, ranked: 0 };
    entry.count += 1;
    if (c.rank !== null) {
      entry.rankSum += c.rank;
      entry.ranked += 1;
    }
    counts.set(c.option_id, entry);
  }
  const results = options.map((o) => {
    const entry = counts.get(o.id);
    return {
      id: o.id,
      label: o.label,
      count: entry?.count ?? 0,
      percent: answers > 0 ? Math.round(((entry?.count ?? 0) / answers) * 100) : 0,
      averageRank: ranked && entry && entry.ranked > 0 ? Math.round((entry.rankSum / entry.ranked) * 10) / 10 : null,
    };
  });
  if (ranked) results.sort((a, b) => (a.averageRank ?? Infinity) - (b.averageRank ?? Infinity) || b.count - a.count);
  return { answers, options: results, other: otherCount };
}

/** The results per segment: each member's choices counted in their segment ("no segment" without one). */
export function tallyBySegment(
  options: { id: string; label: string }[],
  choices: PollChoiceRow[],
  answerers: { user_id: string; segment: string | null; other: boolean }[],
  ranked: boolean,
): { segment: string; results: PollResultsView }[] {
  const segmentOf = new Map(answerers.map((a) => [a.user_id, a.segment ?? "no segment"]));
  const segments = [...new Set(segmentOf.values())].sort();
  return segments.map((segment) => {
    const members = answerers.filter((a) => (a.segment ?? "no segment") === segment);
    return {
      segment,
      results: tallyPoll(
        options,
        choices.filter((c) => segmentOf.get(c.user_id) === segment),
        members.length,
        members.filter((m) => m.other).length,
        ranked,
      ),
    };
  });
}

/** The rows of the polls CSV: per poll, option and segment (first "all members"), who answered, who chose it, the share and the average place. */
export function pollCsvRows(polls: { question: string; threadTitle: string; results: PollResultsView; bySegment: { segment: string; results: PollResultsView }[] }[]): (string | number)[][] {
  const header = ["Poll", "Thread", "Option", "Segment", "Answered", "Chose it", "Percent", "Average place"];
  const rows = polls.flatMap((poll) =>
    [{ segment: "all members", results: poll.results }, ...poll.bySegment].flatMap(({ segment, results }) => [
      ...results.options.map((o) => [poll.question, poll.threadTitle, o.label, segment, results.answers, o.count, o.percent, o.averageRank ?? ""]),
      ...(results.other > 0 ? [[poll.question, poll.threadTitle, "Other (own words)", segment, results.answers, results.other, results.answers ? Math.round((results.other / results.answers) * 100) : 0, ""]] : []),
    ]),
  );
  return [header, ...rows];
}
