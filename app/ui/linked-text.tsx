/**
 * Free text (where a customer was met: "Ticket https://support.example.com/t/4821") with its
 * http and https addresses made links, safely: React escapes the text, only http(s) is ever
 * linked, and links leave with rel="nofollow ugc noopener noreferrer".
 */
const URL_PATTERN = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/gi;

export function LinkedText({ text }: { text: string }) {
  const pieces = text.split(URL_PATTERN);
  return (
    <>
      {pieces.map((piece, i) => {
        // split() with a capture group puts the matches at odd positions.
        if (i % 2 === 1 && isHttpUrl(piece)) {
          return (
            <a key={i} href={piece} rel="nofollow ugc noopener noreferrer" target="_blank" className="break-all underline">
              {piece}
            </a>
          );
        }
        return <span key={i}>{piece}</span>;
      })}
    </>
  );
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
