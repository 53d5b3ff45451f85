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
