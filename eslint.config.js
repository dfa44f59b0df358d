import effect from "@effect/eslint-plugin"
import js from "@eslint/js"
import tseslint from "typescript-eslint"

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "@effect": effect },
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
    rules: {
      // The formatter: dprint through ESLint, as Effect's own packages are formatted, at 120 columns.
      "@effect/dprint": ["error", {
        config: {
          indentWidth: 2,
          lineWidth: 120,
          semiColons: "asi",
          quoteStyle: "alwaysDouble",
          trailingCommas: "never",
          operatorPosition: "maintain",
          "arrowFunction.useParentheses": "force"
        }
      }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["error"] }],
      "no-control-regex": "off"
    }
  },
  {
    files: ["src/cli/**/*.ts", "bench/**/*.js", "bin/**/*.js", "test/**/*.ts"],
    rules: { "no-console": "off" }
  }
)
