/**
 * How programs drive the agent: the HTTP API on the Supervisor's paths and envelope, the Unix
 * socket's newline-delimited JSON, the socket's client the command line uses, and the daemon that
 * serves both.
 */
package io.haven.api;
