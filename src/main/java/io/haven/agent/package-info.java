/**
 * The service layer every front end calls ({@link io.haven.agent.Service}: typed requests such as
 * {@link io.haven.agent.NewBackup} in, typed results out, defaults from the config), and the
 * daemon around it: jobs under the job lock one at a time, progress, the schedule's timer, the
 * MQTT link and the status LED.
 */
package io.haven.agent;
