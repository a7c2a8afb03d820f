package dev.monkeytown.artifact;

import java.util.HashMap;
import java.util.Map;

import dev.monkeytown.kit.testing.Management;

/** The service's Prometheus scrape, as name-with-labels → value, to compare before and after. */
public final class Metrics {

    private Metrics() {
    }

    public static Map<String, Double> scrape() {
        String text = Management.given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract()
                .asString();
        Map<String, Double> values = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            try {
                values.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1).trim()));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                // not a sample line
            }
        }
        return values;
    }

    /** What a series (a name without labels, or with them exactly as scraped) grew by, 0 where it was absent. */
    public static double increase(Map<String, Double> before, Map<String, Double> after, String series) {
        return value(after, series) - value(before, series);
    }

    public static double value(Map<String, Double> scrape, String series) {
        return scrape.entrySet().stream()
                .filter(e -> e.getKey().equals(series) || e.getKey().startsWith(series + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
