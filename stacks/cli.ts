/** Runs a CLI's `main` when its module is the entry point: its return is the exit code; an error is printed, exit 1. */
export function runCli(module: NodeModule, main: (argv: readonly string[]) => number): void {
  if (require.main !== module) return;
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}

/** {@link runCli} for a `main` that returns a promise. */
export function runAsyncCli(module: NodeModule, main: (argv: readonly string[]) => Promise<number>): void {
  if (require.main !== module) return;
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
