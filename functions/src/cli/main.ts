#!/usr/bin/env node
import { processEnvironment } from "../config.js";
import { processIo } from "./io.js";
import { runCli } from "./program.js";

// `dienhinh criteria --json | head` closes the pipe early: that is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), processIo, processEnvironment());
