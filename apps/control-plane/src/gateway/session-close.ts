/** Closes the session with a code from the shared table. */
export class SessionClose extends Error {
  constructor(
    readonly closeCode: number,
    message: string,
  ) {
    super(message);
  }
}
