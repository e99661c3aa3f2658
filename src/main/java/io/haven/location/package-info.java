/**
 * Where archives live: a local or mounted directory, SFTP, WebDAV, S3, SMB or an rclone remote,
 * each behind the small {@link io.haven.location.Location} contract. Knows names, bytes and
 * sizes only; nothing here knows what an archive holds, what a backup is, or which device runs.
 */
package io.haven.location;
