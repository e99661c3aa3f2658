/**
 * Haven's jobs as the command line and the daemon run them: one backup or restore at a time under
 * the job lock, interrupted work recovered first, progress reported.
 */
package io.haven.agent;
