/**
 * Files on disk and tar entries: where each part lives in the data root, Home Assistant's excludes,
 * writing a directory tree into a part's tar and extracting it back safely. Backup and restore both
 * stand on it.
 */
package io.haven.tree;
