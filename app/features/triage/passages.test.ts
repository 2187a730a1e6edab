import { describe, expect, test } from "vitest";
import { passageOf, sentencesOf } from "./passages.ts";

describe("a post cut into sentences", () => {
  test("splits running text at sentence ends and keeps each sentence's punctuation", () => {
    expect(sentencesOf("I am furious. The renewal invoice said $4,800! Why did nobody answer?")).toEqual([
      "I am furious.",
      "The renewal invoice said $4,800!",
      "Why did nobody answer?",
    ]);
  });

  test("a paragraph or list item ends a sentence even without a full stop", () => {
    expect(sentencesOf("Steps to repeat\n\n- open the report\n- export to Xero\n\nThree invoices vanish.")).toEqual([
      "Steps to repeat",
      "- open the report",
      "- export to Xero",
      "Three invoices vanish.",
    ]);
  });

  test("blank text has no sentences", () => {
    expect(sentencesOf(" \n\n ")).toEqual([]);
  });
});

describe("the passage chosen sentences make", () => {
  const sentences = ["One.", "Two.", "Three.", "Four."];

  test("neighbouring sentences read as one passage, in the post's order whatever the order chosen", () => {
    expect(passageOf(sentences, new Set([2, 1]))).toBe("Two. Three.");
  });

  test("a gap between chosen sentences is marked", () => {
    expect(passageOf(sentences, new Set([0, 3]))).toBe("One. … Four.");
  });

  test("nothing chosen is an empty passage (the whole post is kept)", () => {
    expect(passageOf(sentences, new Set())).toBe("");
  });
});
