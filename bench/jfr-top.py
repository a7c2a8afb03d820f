#!/usr/bin/env python3
# Sums JFR execution samples (the text of `jfr print --stack-depth 128 --events jdk.ExecutionSample`):
#  - by component: each sample goes to the first frame from the top of its stack that is not the JDK's own
#    (java., jdk., sun.), so a HashMap lookup counts for whoever asked for it; components are package prefixes;
#  - top methods by that same attribution;
#  - the inclusive share of the packages named in the second argument (comma-separated).
import collections
import re
import sys

COMPONENTS = ["dev.monkeytown.gateway.proxy", "dev.monkeytown.gateway.classify", "dev.monkeytown.gateway.ratelimit",
              "dev.monkeytown.gateway.auth", "dev.monkeytown.gateway", "dev.monkeytown.kit",
              "io.smallrye.faulttolerance", "io.smallrye.context", "io.quarkus.micrometer", "io.micrometer",
              "io.quarkus.vertx", "io.quarkus", "io.vertx.ext.web", "io.vertx.core.http", "io.vertx.core",
              "io.netty.handler.codec.http", "io.netty", "com.github.benmanes", "io.github.bucket4j",
              "org.jboss.logging", "org.jboss.logmanager", "io.smallrye"]
JDK = ("java.", "jdk.", "sun.")

text = open(sys.argv[1]).read()
owner_counts = collections.Counter()
method_counts = collections.Counter()
marks = [m for m in (sys.argv[2].split(",") if len(sys.argv) > 2 else []) if m]
mark_counts = collections.Counter()
total = 0
for sample in text.split("jdk.ExecutionSample {")[1:]:
    frames = re.findall(r"^\s+([\w$.<>/]+)\(.*?line:", sample, re.M)
    if not frames:
        continue
    total += 1
    owner_frame = next((f for f in frames if not f.startswith(JDK)), frames[0])
    method_counts[owner_frame] += 1
    component = next((c for c in COMPONENTS if owner_frame.startswith(c + ".")), owner_frame.rsplit(".", 2)[0])
    owner_counts[component] += 1
    for mark in marks:
        if any(f.startswith(mark) for f in frames):
            mark_counts[mark] += 1

print(f"samples {total}")
print("--- by component (first frame outside the JDK)")
for name, count in owner_counts.most_common(30):
    print(f"{100 * count / total:5.1f}% {name}")
print("--- top methods (first frame outside the JDK)")
for name, count in method_counts.most_common(40):
    print(f"{100 * count / total:5.1f}% {name}")
print("--- inclusive")
for mark in marks:
    print(f"{100 * mark_counts[mark] / total:5.1f}% {mark}")
