import type { Logger } from 'pino';

/** Runs until SIGTERM/SIGINT, then stops cleanly and exits 0 (1 when stopping fails). */
export function runUntilSignal(logger: Logger, stop: () => Promise<void>): void {
  let exiting = false;
  const shutdown = (signal: string) => {
    if (exiting) return;
    exiting = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
