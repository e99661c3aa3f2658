/** The {@code haven} command line: the verbs of Home Assistant's {@code ha backups} and more. */
package io.haven.cli;
