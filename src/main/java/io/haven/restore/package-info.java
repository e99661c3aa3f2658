/**
 * Restores parts of a backup into the data root without ever leaving it half restored: every part
 * is extracted into staging and checked, then all are swapped in by rename under a journal, so a
 * failure or a kill ends with the data root exactly as before or exactly as restored. Also the
 * migration preflight.
 */
package io.haven.restore;
