/**
 * The wire: the HTTP API on the Supervisor's paths and envelope, the Unix socket's
 * newline-delimited JSON, and the socket's client the command line uses. Each turns its input into
 * the agent's typed requests; none has behaviour of its own.
 */
package io.haven.api;
