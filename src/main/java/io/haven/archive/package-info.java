/**
 * Reads and writes Home Assistant's backup format: the outer tar, the inner part archives
 * (zstd, gzip or plain), SecureTar v1/v2/v3 encryption and the {@code backup.json} model.
 * Streams only: nothing here is sized from an archive's size, and nothing here knows a device.
 */
package io.haven.archive;
