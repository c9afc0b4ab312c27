// How a bench script runs: `main` to its exit code, everything it started stopped afterwards, and
// the whole run given up (exit 2) past `timeoutMs`, so a stuck phase never holds the machine.

export function runBench(
  name: string,
  { main, shutdown, timeoutMs, describe = (error) => error }: {
    main: () => Promise<number>;
    shutdown: () => Promise<void>;
    timeoutMs: number;
    describe?: (error: unknown) => unknown;
  },
): void {
  const deadline = setTimeout(() => {
    console.error(`[${name}] still running after ${timeoutMs / 1000} s; stopping`);
    const forced = setTimeout(() => process.exit(2), 15_000);
    forced.unref();
    void shutdown().finally(() => process.exit(2));
  }, timeoutMs);
  deadline.unref();

  main()
    .catch((error) => {
      console.error(`[${name}] failed`, describe(error));
      return 1;
    })
    .then(async (code) => {
      await shutdown();
      clearTimeout(deadline);
      process.exit(code);
    });
}
