import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { port: 3000 },
  build: { target: "es2022" },
  // Listed up front so the first page in development does not fail while Vite discovers them.
  optimizeDeps: { include: ["@conform-to/react", "@conform-to/zod/v4", "zod"] },
  plugins: [
    tailwindcss(),
    remix({
      // Tests may sit beside the route they test; they are not routes.
      ignoredRouteFiles: ["**/*.test.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        // Off: with lazy discovery every document request matched four path prefixes against
        // every route to inline a partial manifest (a tenth of a thread page's server time);
        // the full manifest is one cached file instead (docs/decisions/012). In React Router 7
        // this is `routeDiscovery: { mode: "initial" }`.
        v3_lazyRouteDiscovery: false,
      },
    }),
  ],
});
