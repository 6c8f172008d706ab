// ESLint for the scripts of the project's browser components (components/assets/*.js): ES modules
// run by Streamlit's st.components.v2 in the browser.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
  },
];
