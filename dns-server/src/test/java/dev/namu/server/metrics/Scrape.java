package dev.namu.server.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GET requests to namud's metrics listener, and the samples of a Prometheus text scrape. */
final class Scrape {
  /** {@code name{labels} value}, the labels optional; comments and blank lines are not samples. */
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)$");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private final InetSocketAddress at;

  Scrape(InetSocketAddress at) {
    this.at = at;
  }

  HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://" + at.getAddress().getHostAddress() + ":" + at.getPort() + path))
        .timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The samples of GET /metrics: {@code name{labels}} to value. */
  Map<String, Double> samples() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/metrics");
    if (r.statusCode() != 200) {
      throw new AssertionError("GET /metrics: " + r.statusCode() + " " + r.body());
    }
    return parse(r.body());
  }

  static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line.trim());
      if (!line.startsWith("#") && m.matches()) {
        samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
      }
    }
    return samples;
  }

  /** The sum of the samples of {@code name} whose labels include every one of {@code labels}. */
  static double sum(Map<String, Double> samples, String name, String... labels) {
    double total = 0;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      String key = e.getKey();
      if (!key.equals(name) && !key.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i < labels.length; i += 2) {
        all &= key.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
      }
      if (all) {
        total += e.getValue();
      }
    }
    return total;
  }
}
