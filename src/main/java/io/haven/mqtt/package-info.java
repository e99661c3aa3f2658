/**
 * Makes Haven a Home Assistant device over MQTT: discovery configs, backup state, availability
 * with a last will, and button presses turned into commands. A broker that is down never blocks or
 * fails a backup.
 */
package io.haven.mqtt;
