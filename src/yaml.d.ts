/** YAML data files are bundled as plain data by the build (scripts/build.mjs). */
declare module '*.yaml' {
  const data: unknown;
  export default data;
}
