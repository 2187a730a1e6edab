import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

/**
 * A page of posts as a plain Remix app writes it: the loader returns the posts with their
 * HTML, the component renders each with its author's link. `?posts=` and `?bytes=` (the
 * length of each post's HTML) let the benchmark match a Cohort page's post count and size.
 */
const WORDS = "report export dashboard region revenue weekly schedule time zone mobile chart filter team invoice sync calendar".split(" ");

const cache = new Map<string, { id: string; author: string; authorId: string; createdAt: number; html: string }[]>();

function postsOf(count: number, bytes: number) {
  const key = `${count}:${bytes}`;
  let posts = cache.get(key);
  if (!posts) {
    posts = Array.from({ length: count }, (_, i) => {
      let text = "";
      for (let w = i; text.length < bytes; w++) text += `${WORDS[w % WORDS.length]} `;
      return { id: `p${i}`, author: `Member ${i}`, authorId: `u${i % 7}`, createdAt: 1_760_000_000_000 + i * 60_000, html: `<p>${text.trim()}</p>` };
    });
    cache.set(key, posts);
  }
  return posts;
}

export function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const count = Math.min(500, Number(url.searchParams.get("posts") ?? 50) || 50);
  const bytes = Math.min(20_000, Number(url.searchParams.get("bytes") ?? 1000) || 0);
  return { title: "A thread", posts: postsOf(count, bytes) };
}

export default function Posts() {
  const { title, posts } = useLoaderData<typeof loader>();
  return (
    <main>
      <h1>{title}</h1>
      {posts.map((post) => (
        <article key={post.id} id={post.id}>
          <p>
            <Link to={`/people/${post.authorId}`}>{post.author}</Link> · {new Date(post.createdAt).toISOString().slice(0, 16)}
          </p>
          <div dangerouslySetInnerHTML={{ __html: post.html }} />
        </article>
      ))}
    </main>
  );
}
