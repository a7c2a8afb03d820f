package dev.monkeytown.github.testdouble;

import java.util.List;
import java.util.Map;

/** A request as it came off the wire, before the double has read anything into it. */
record IncomingRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
}
