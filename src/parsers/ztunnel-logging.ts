/**
 * ztunnel's log levels through its admin port (istio/ztunnel src/admin.rs `handle_logging`):
 * `POST /logging` answers `current log level is FILTER\n`, FILTER a tracing `Targets` filter such as
 * `hickory_server::server=off,access=debug,info` (comma-separated `target=level`, and one bare level,
 * the default for every other target; src/telemetry.rs `get_current_loglevel`).
 * `POST /logging?level=access=debug` adds to the current filter (`set_level`: current + "," + level),
 * so a target is put back by setting it again. Levels: error|warn|info|debug|trace|off
 * (admin.rs `validate_log_level`); meshdbg keeps Envoy's names (`warn` is `warning`).
 */
import type { EnvoyLogLevel, LoggerLevels } from './envoy-logging.js';

export const ZTUNNEL_LOG_PREFIX = 'current log level is ';
/** The key meshdbg uses for the bare level (the default of every target not named). */
export const ZTUNNEL_DEFAULT_TARGET = 'default';

const FROM_ZTUNNEL: Readonly<Record<string, EnvoyLogLevel>> = {
  error: 'error',
  warn: 'warning',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
  off: 'off',
};

/** Envoy's name -> ztunnel's (`critical` has no ztunnel level: istioctl maps it to `error`, ztunnelconfig.go). */
export function ztunnelLevelName(level: EnvoyLogLevel): string {
  return level === 'warning' ? 'warn' : level === 'critical' ? 'error' : level;
}

export interface ZtunnelLogging {
  /** the bare level; null when the filter has none */
  readonly defaultLevel: EnvoyLogLevel | null;
  readonly targets: LoggerLevels;
}

/** Parses ztunnel's answer; null when it is not `current log level is ...`. */
export function parseZtunnelLogging(text: string): ZtunnelLogging | null {
  const first = text.split('\n')[0]?.trim() ?? '';
  if (!first.startsWith(ZTUNNEL_LOG_PREFIX)) return null;
  const targets: Record<string, EnvoyLogLevel> = {};
  let defaultLevel: EnvoyLogLevel | null = null;
  for (const clause of first.slice(ZTUNNEL_LOG_PREFIX.length).split(',')) {
    const eq = clause.lastIndexOf('=');
    const level = FROM_ZTUNNEL[(eq === -1 ? clause : clause.slice(eq + 1)).trim().toLowerCase()];
    if (level === undefined) return null;
    if (eq === -1) defaultLevel = level;
    else targets[clause.slice(0, eq).trim()] = level;
  }
  return { defaultLevel, targets };
}

/**
 * The levels as meshdbg journals them: every named target, the default under `default`, and each
 * of `wanted` at the level it has now (its own, else the default): what to put back.
 */
export function effectiveLevels(parsed: ZtunnelLogging, wanted: readonly string[]): LoggerLevels {
  const out: Record<string, EnvoyLogLevel> = { ...parsed.targets };
  const fallback = parsed.defaultLevel ?? 'info';
  out[ZTUNNEL_DEFAULT_TARGET] = fallback;
  for (const t of wanted) out[t] ??= fallback;
  return out;
}

/** `?level=` for the given targets (`default` sets the bare level). */
export function ztunnelLevelQuery(levels: LoggerLevels): string {
  const clauses = Object.entries(levels).map(([target, level]) =>
    target === ZTUNNEL_DEFAULT_TARGET ? ztunnelLevelName(level) : `${target}=${ztunnelLevelName(level)}`,
  );
  return new URLSearchParams({ level: clauses.join(',') }).toString();
}

/**
 * ztunnel's counterpart of Envoy's `rbac` logger: its policy decisions ("deny policy match",
 * "allow policy match", "no allow policies matched") are logged by `authpol_log!` at debug from
 * `assert_rbac` in src/state.rs (istio/ztunnel src/proxy/metrics.rs), so their target is the module
 * `ztunnel::state`. Envoy loggers without a ztunnel counterpart (jwt, ext_authz: waypoint features) map to nothing.
 */
export const ZTUNNEL_TARGET_FOR_LOGGER: Readonly<Record<string, string>> = { rbac: 'ztunnel::state' };

/** The targets meshdbg may raise, always reported with their effective level. */
export const ZTUNNEL_RAISED_TARGETS: readonly string[] = Object.values(ZTUNNEL_TARGET_FOR_LOGGER);
