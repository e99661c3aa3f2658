/**
 * The backup encryption key, as Home Assistant has one since 2025.1: seven groups of four
 * characters made on first start, kept in a 0600 file with the keys it replaced, and written out
 * as an emergency kit. Knows keys and files only; what they open is for the packages above.
 */
package io.haven.key;
