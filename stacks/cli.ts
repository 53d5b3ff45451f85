/**
 * What every command-line tool of the kit shares: one argument parser and one exit-code contract.
 *
 * Exit codes: 0 done and every check passed; 1 a check failed (or the run failed); 2 usage error
 * (unknown flag, missing flag value, extra or unknown argument), reported before anything is
 * written. `--help` / `-h` prints the usage and does nothing else.
 */
import { parseArgs } from 'util';

/** Exit code of a usage error. */
export const USAGE_EXIT = 2;

/** A usage error: the message is printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

/** The flags and arguments a command takes. */
export interface CommandSpec {
  /** The usage text (`usage: npm run … -- …`). */
  readonly usage: string;
  /** Value flags (`--out DIR` or `--out=DIR`). @default - none */
  readonly values?: readonly string[];
  /** Boolean flags (`--json`). @default - none */
  readonly switches?: readonly string[];
  /**
   * End the process when `main` settles, even with handles still open (child processes a test
   * server leaves behind). @default false
   */
  readonly exitWhenDone?: boolean;
}

/** Parsed arguments. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  /** Value flags given, by name. */
  readonly values: Readonly<Record<string, string>>;
  /** Boolean flags given. */
  readonly switches: ReadonlySet<string>;
}

/**
 * Parses `argv` strictly: unknown flags, a value flag without its value and a switch with one are
 * usage errors. Returns undefined for `--help`.
 */
export function parseCommand(argv: readonly string[], spec: CommandSpec): ParsedArgs | undefined {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const v of spec.values ?? []) options[v] = { type: 'string' };
  for (const s of spec.switches ?? []) options[s] = { type: 'boolean' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageErrorOf(e, spec);
  }
  if (parsed.values.help === true) return undefined;
  const values: Record<string, string> = {};
  const switches = new Set<string>();
  for (const [k, v] of Object.entries(parsed.values)) {
    if (typeof v === 'string') values[k] = v;
    else if (v === true) switches.add(k);
  }
  for (const [k, v] of Object.entries(values))
    if (v.length === 0 || v.startsWith('-')) throw new UsageError(`option '--${k}' needs a value`);
  return { positionals: parsed.positionals, values, switches };
}

/** Our own message for Node's parser error (its wording differs between Node versions). */
function usageErrorOf(e: unknown, spec: CommandSpec): UsageError {
  const text = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown }).code;
  // the first quoted word of Node's message is the flag as typed
  const quoted = /'(-[^' ]*)/.exec(text)?.[1] ?? '?';
  const name = quoted.replace(/^-+/, '');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option '${quoted}'`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new UsageError(
      (spec.switches ?? []).includes(name) ? `option '--${name}' takes no value` : `option '--${name}' needs a value`,
    );
  }
  return new UsageError(text);
}

/** Checks each name against `known`, naming the unknown ones and what is known (a usage error). */
export function requireKnown(what: string, names: readonly string[], known: readonly string[]): void {
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0)
    throw new UsageError(`unknown ${what} ${unknown.map((u) => `"${u}"`).join(', ')} (${what}s: ${known.join(', ')})`);
}

function failed(e: unknown, usage: string): number {
  if (e instanceof UsageError) {
    console.error(`${e.message}\n${usage}`);
    return USAGE_EXIT;
  }
  console.error(e instanceof Error ? e.message : e);
  return 1;
}

/** A command: its flags and usage, and what it does with the parsed arguments (its exit code). */
export interface Command {
  readonly spec: CommandSpec;
  readonly main: (args: ParsedArgs) => number | Promise<number>;
}

/**
 * Runs `command` on `argv`: `--help` prints the usage (exit 0); otherwise its return is the exit
 * code; a {@link UsageError} prints the usage, exit 2; any other error is printed, exit 1.
 */
export function runCommand(argv: readonly string[], { spec, main }: Command): void {
  const settle = (code: number): void => {
    process.exitCode = code;
    if (spec.exitWhenDone === true) process.exit(code);
  };
  try {
    const args = parseCommand(argv, spec);
    if (args === undefined) {
      console.log(spec.usage);
      return settle(0);
    }
    const result = main(args);
    if (typeof result === 'number') return settle(result);
    result.then(settle, (e: unknown) => settle(failed(e, spec.usage)));
  } catch (e) {
    settle(failed(e, spec.usage));
  }
}

/** {@link runCommand} on the process's arguments, when `module` is the entry point. */
export function runCli(module: NodeModule, spec: CommandSpec, main: Command['main']): void {
  if (require.main === module) runCommand(process.argv.slice(2), { spec, main });
}

/**
 * Runs one of `commands`, named by the first argument (`<program> <command> [args…]`), with the
 * same parsing and exit codes; no command, an unknown one or `--help` in its place prints the list.
 */
export function runSubcommand(
  argv: readonly string[],
  program: string,
  commands: Readonly<Record<string, Command>>,
): void {
  const [name, ...rest] = argv;
  const usage = `usage: ${program} <${Object.keys(commands).join('|')}> [args…]   (${program} <command> --help for each)`;
  if (name === '--help' || name === '-h') {
    console.log(usage);
    process.exitCode = 0;
    return;
  }
  const command =
    name !== undefined && Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined;
  if (command === undefined) {
    console.error(`${name === undefined ? 'name a command' : `unknown command "${name}"`}\n${usage}`);
    process.exitCode = USAGE_EXIT;
    return;
  }
  runCommand(rest, {
    spec: { ...command.spec, usage: command.spec.usage.replace(/^usage: /, `usage: ${program} `) },
    main: command.main,
  });
}
