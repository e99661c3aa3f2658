/**
 * Reads and writes restic repositories (format version 2): keys, the content-defined chunker,
 * encrypted and compressed packs, the index, trees, snapshots and locks, over a small
 * {@link io.haven.restic.Storage}. The bytes are restic's own, so restic checks, lists and
 * restores what Haven writes, and Haven reads what restic wrote. {@link io.haven.restic.Vault}
 * is such a repository as a location of backups, one snapshot each. A repository's master key,
 * once unlocked, is kept in a 0600 file beside the stored passwords ({@code KeyCache}), so that
 * later opens skip scrypt; the config's MAC confirms it.
 */
package io.haven.restic;
