import packageJson from '../package.json' with { type: 'json' };

/** The package's version, for --version and the User-Agent (inlined into the bundle at build). */
export const cliVersion: string = packageJson.version;
