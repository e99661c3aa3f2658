/**
 * Knows the appliance's hardware: the board, its disks (SD, eMMC, NVMe, USB), attached USB radios,
 * the status LED and systemd's notify socket. Everything is read through a root path (normally
 * "/"), so tests point it at a directory laid out like sysfs and procfs. Nothing here knows an
 * archive.
 */
package io.haven.device;
