/** 128 + the signal number, as shells report a process ended by it (bash(1), EXIT STATUS). */
export const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;
