/**
 * Envoy admin `POST /logging` responses (and `istioctl proxy-config log`, which prefixes
 * each pod's block with `<pod>.<ns>:`). Pure.
 *
 *   active loggers:
 *     admin: warning
 *     rbac: debug
 */

export const ENVOY_LOG_LEVELS = ['trace', 'debug', 'info', 'warning', 'error', 'critical', 'off'] as const;
export type EnvoyLogLevel = (typeof ENVOY_LOG_LEVELS)[number];

export type LoggerLevels = Readonly<Record<string, EnvoyLogLevel>>;

export interface LoggingParse {
  readonly levels: LoggerLevels;
  readonly issues: readonly { line: number; message: string }[];
}

export function isEnvoyLogLevel(value: string): value is EnvoyLogLevel {
  return (ENVOY_LOG_LEVELS as readonly string[]).includes(value);
}

/** `warn` is accepted by istioctl as `warning`. */
export function normalizeLevel(value: string): EnvoyLogLevel | null {
  const v = value.trim().toLowerCase();
  if (v === 'warn') return 'warning';
  return isEnvoyLogLevel(v) ? v : null;
}

const LOGGER_LINE = /^\s+([^:\s][^:]*):\s*(\S+)\s*$/;

/** Reads `active loggers:` blocks; anything else that is not blank is an issue. */
export function parseEnvoyLogging(text: string): LoggingParse {
  const levels: Record<string, EnvoyLogLevel> = {};
  const issues: { line: number; message: string }[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.trim() === 'active loggers:' || /^\S+\.\S+:$/.test(raw.trim())) return;
    const m = LOGGER_LINE.exec(raw);
    const level = m?.[2] ? normalizeLevel(m[2]) : null;
    if (!m?.[1] || !level) {
      issues.push({ line, message: `not a logger line: ${raw.trim()}` });
      return;
    }
    levels[m[1].trim()] = level;
  });
  return { levels, issues };
}

/** `rbac:debug,jwt:debug` -> `{rbac: 'debug', jwt: 'debug'}`; a bare level sets `level`. */
export function parseLevelSpec(spec: string): { levels: LoggerLevels; error: string | null } {
  const levels: Record<string, EnvoyLogLevel> = {};
  for (const item of spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const [logger, level] = item.includes(':') ? item.split(':', 2) : ['level', item];
    const normalized = normalizeLevel(level ?? '');
    if (!logger || !normalized) {
      return {
        levels: {},
        error: `bad log level ${JSON.stringify(item)}: use logger:level with level one of ${ENVOY_LOG_LEVELS.join(', ')}`,
      };
    }
    levels[logger] = normalized;
  }
  return { levels, error: null };
}

/** Query strings Envoy's /logging takes, one per logger (`rbac=debug`). */
export function loggingQueries(levels: LoggerLevels): string[] {
  return Object.entries(levels).map(([logger, level]) => `${encodeURIComponent(logger)}=${level}`);
}
