/** Haven's configuration: one YAML file, environment overrides, and an embedded default. */
package io.haven.config;
