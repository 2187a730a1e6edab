// The house rules a machine checks (docs/guiding-principles.md). Kept to the few that guard
// the code's shape, without type information, so `npm run lint` takes seconds.
import tseslint from "typescript-eslint";

const ROLES = "/^(member|moderator|product|admin|participant|leader)$/";
const ROLE_NAME = "/role$/i";

/** Reading the time anywhere but the one clock (app/lib/clock.ts `now()`), which tests can set. */
const clock = [
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Read the time from the one clock: now() from #app/lib/clock.ts." },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Read the time from the one clock: new Date(now()) with now() from #app/lib/clock.ts." },
];

/** Deciding by role inline instead of asking the one policy (app/features/auth/policy.ts). */
const roleMessage = "Ask the policy (can, assertAllowed, isStaff or a scope in app/features/auth) instead of comparing roles.";
const role = [
  ...["left", "right"].flatMap((side) => {
    const other = side === "left" ? "right" : "left";
    const compared = `BinaryExpression[operator=/^[!=]==?$/][${other}.value=${ROLES}]`;
    return [
      { selector: `${compared}[${side}.name=${ROLE_NAME}]`, message: roleMessage },
      { selector: `${compared}[${side}.property.name=${ROLE_NAME}]`, message: roleMessage },
      { selector: `${compared}[${side}.expression.property.name=${ROLE_NAME}]`, message: roleMessage },
    ];
  }),
  { selector: `SwitchStatement[discriminant.property.name=${ROLE_NAME}]`, message: roleMessage },
  { selector: `SwitchStatement[discriminant.name=${ROLE_NAME}]`, message: roleMessage },
  { selector: `CallExpression[callee.property.name='includes'][arguments.0.property.name=${ROLE_NAME}]`, message: roleMessage },
];

/** A route writing a query itself instead of calling a feature's use case with the database. */
const query = [
  {
    selector: "CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom|transaction)$/]",
    message: "Routes call a feature's use case (pass it getDb()); they do not write queries.",
  },
];

const tests = ["**/*.test.ts", "**/*.test.tsx", "**/*.spec.ts", "e2e/**"];

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", "public/**", "test-results/**", "playwright-report/**", "data/**", ".cache/**"] },
  {
    files: ["**/*.{ts,tsx,js}"],
    languageOptions: { parser: tseslint.parser, ecmaVersion: "latest", sourceType: "module", parserOptions: { ecmaFeatures: { jsx: true } } },
    plugins: { "@typescript-eslint": tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  // Later entries replace no-restricted-syntax for the files they match, so each lists all it needs.
  { files: ["app/**/*.{ts,tsx}", "server/**/*.ts"], ignores: tests, rules: { "no-restricted-syntax": ["error", ...clock, ...role] } },
  { files: ["app/features/auth/**"], ignores: tests, rules: { "no-restricted-syntax": ["error", ...clock] } },
  { files: ["app/lib/clock.ts"], rules: { "no-restricted-syntax": ["error", ...role] } },
  {
    files: ["app/routes/**"],
    ignores: tests,
    rules: {
      "no-restricted-syntax": ["error", ...clock, ...role, ...query],
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: ["kysely", "better-sqlite3", "pg"].map((name) => ({ name, message: "Routes do not talk to the database; call a feature's use case." })),
          patterns: [
            {
              regex: "^(#db|(\\.\\./)+db)/(?!schema\\.ts$)",
              message: "Routes do not talk to the database; call a feature's use case (its types come from #db/schema.ts).",
            },
          ],
        },
      ],
    },
  },
);
