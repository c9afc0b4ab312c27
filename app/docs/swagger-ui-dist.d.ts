// swagger-ui-dist ships no types; this is the part of its bundle's API the docs page uses.
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  type SwaggerUIOptions = { domNode: HTMLElement; spec?: object; url?: string } & Record<string, unknown>;
  const SwaggerUIBundle: (options: SwaggerUIOptions) => unknown;
  export default SwaggerUIBundle;
}
