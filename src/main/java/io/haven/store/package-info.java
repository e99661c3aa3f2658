/**
 * The backups a backup directory holds: list, info, add (under a temporary name, fsynced, then
 * renamed), import, delete, and the lock that lets one backup or restore run at a time.
 */
package io.haven.store;
