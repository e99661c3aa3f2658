/**
 * What goes into a backup and the job that makes one: parts chosen from the data root, Home
 * Assistant's excludes, a consistent copy of the recorder database, a free-space check, and the
 * archive written under a temporary name and committed to the backup directory.
 */
package io.haven.backup;
