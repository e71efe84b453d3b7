/** A command line the CLI cannot run as written; it exits with code 2 (1 is kept for the API's own errors). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
