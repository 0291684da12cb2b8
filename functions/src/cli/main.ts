#!/usr/bin/env node
import { processEnvironment } from "../config.js";
import { processIo } from "./io.js";
import { runCli } from "./program.js";

// `dienhinh criteria --json | head` closes the pipe early: that is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

// When Firestore is gone the store stops waiting for the client's calls and, at the end, closes the
// client: the calls it abandoned then fail inside the client with no one left to hear them. That is
// the end the command chose, not a crash; anything else unheard still is one.
process.on("unhandledRejection", (reason) => {
  if (reason instanceof Error && reason.message === "The client has already been terminated") return;
  throw reason;
});

process.exitCode = await runCli(process.argv.slice(2), processIo, processEnvironment());
// The command has answered and closed what it opened. A Firestore client whose server died goes on
// retrying its abandoned calls for minutes, and would hold the process open: past a second, it is
// not waited for (a timer that does not itself keep the process alive).
setTimeout(() => process.exit(), 1_000).unref();
