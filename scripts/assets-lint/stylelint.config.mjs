// Stylelint for the style sheets of components/assets/*.css (scripts/lint_assets.sh).
export default {
  extends: ["stylelint-config-standard"],
  rules: {
    // Streamlit names a keyed element's class after its key: .st-key-russian_interface.
    "selector-class-pattern": null,
  },
};
