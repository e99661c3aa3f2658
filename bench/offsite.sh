#!/bin/sh
# Copies a large file (default 1024 MB) to the loopback servers under -Xmx64m and prints a
# Markdown table of upload and read-back MB/s and peak heap. Usage: bench/offsite.sh [MB]
set -eu
cd "$(dirname "$0")/.."
mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
jar=target/test-servers/s3proxy.jar
exec java -Xmx64m -Dhaven.s3proxyJar="$jar" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.haven.location.OffsiteBench "${1:-1024}" 2>/dev/null
