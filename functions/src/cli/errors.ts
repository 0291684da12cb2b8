/** A problem the user can fix (bad input, unknown school): shown as a message, exit code 2. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}
