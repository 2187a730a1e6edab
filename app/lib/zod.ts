import { z } from "zod";

// Zod 4 probes whether it may compile validators with `new Function`; under our CSP (no
// 'unsafe-eval') that probe is a policy violation in the browser. Validate without it.
z.config({ jitless: true });

/** Zod, configured for Cohort: import it from here, never from "zod" directly. */
export { z };
