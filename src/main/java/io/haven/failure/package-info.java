/** Failures a user can act on, each with its exit code: the one vocabulary every package shares. */
package io.haven.failure;
