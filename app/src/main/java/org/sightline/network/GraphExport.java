package org.sightline.network;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sightline.shared.CsvCells;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * The graph in words and in files: one label per node (a child the user may not see is "a child known to X"), and
 * CSV nodes/edges and GraphML that analysts' tools (Gephi, yEd, i2) import. Node ids in files are n1, n2, … in the
 * table's order: no internal or public id leaves the system this way.
 */
@Component
class GraphExport {

    private final MessageSource messages;

    GraphExport(MessageSource messages) {
        this.messages = messages;
    }

    /** A label for each node, keyed by {@code kind:id}. */
    Map<String, String> labels(NetworkGraph.Graph g, Locale locale) {
        Map<String, String> out = new HashMap<>();
        for (NetworkNodes.Node n : g.nodes()) {
            out.put(n.key().toString(), label(n, locale));
        }
        return out;
    }

    public String label(NetworkNodes.Node n, Locale locale) {
        String kind = n.key().kind();
        if (!n.full()) {
            String contact = n.contact() == null || n.contact().isBlank()
                    ? messages.getMessage("network.node.contactAgency", new Object[] {n.heldBy()}, locale)
                    : n.contact();
            return messages.getMessage("network.node.known." + kind, new Object[] {n.heldBy(), contact}, locale);
        }
        if (n.label() == null || n.label().isBlank()) {
            return messages.getMessage("network.node.unnamed." + kind, null, locale);
        }
        return n.label();
    }

    String kind(String kind, Locale locale) {
        return messages.getMessage("network.kind." + kind, null, locale);
    }

    String type(String type, Locale locale) {
        return messages.getMessage("linkType." + type, null, type, locale);
    }

    /** The filter part of a download link, as on the page. */
    String query(int hops, String from, String to, Set<String> types) {
        List<String> parts = new ArrayList<>();
        parts.add("hops=" + hops);
        if (from != null && !from.isBlank()) {
            parts.add("from=" + URLEncoder.encode(from.strip(), StandardCharsets.UTF_8));
        }
        if (to != null && !to.isBlank()) {
            parts.add("to=" + URLEncoder.encode(to.strip(), StandardCharsets.UTF_8));
        }
        types.forEach(t -> parts.add("type=" + URLEncoder.encode(t, StandardCharsets.UTF_8)));
        return "?" + String.join("&", parts);
    }

    private Map<String, String> ids(NetworkGraph.Graph g) {
        Map<String, String> ids = new HashMap<>();
        for (NetworkNodes.Node n : g.nodes()) {
            ids.put(n.key().toString(), "n" + (ids.size() + 1));
        }
        return ids;
    }

    String nodesCsv(NetworkGraph.Graph g, Locale locale) {
        Map<String, String> ids = ids(g);
        StringWriter out = new StringWriter();
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(out);
        csv.writeRecord("id", "kind", "label", "held_by", "home_area");
        for (NetworkNodes.Node n : g.nodes()) {
            csv.writeRecord(CsvCells.neutralise(List.of(
                    ids.get(n.key().toString()),
                    n.key().kind(),
                    label(n, locale),
                    n.heldBy() == null ? "" : n.heldBy(),
                    n.homeArea() == null ? "" : n.homeArea())));
        }
        flush(csv);
        return out.toString();
    }

    String edgesCsv(NetworkGraph.Graph g, Locale locale) {
        Map<String, String> ids = ids(g);
        StringWriter out = new StringWriter();
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(out);
        csv.writeRecord("source", "target", "type", "observed_at", "recorded_by_agency", "recorded_by");
        for (NetworkGraph.Edge e : g.edges()) {
            csv.writeRecord(CsvCells.neutralise(List.of(
                    ids.get(e.from().toString()),
                    ids.get(e.to().toString()),
                    e.type(),
                    e.at().toString(),
                    e.agency(),
                    e.recordedBy() == null ? "" : e.recordedBy())));
        }
        flush(csv);
        return out.toString();
    }

    String graphml(NetworkGraph.Graph g, Locale locale) {
        Map<String, String> ids = ids(g);
        StringBuilder x = new StringBuilder(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <graphml xmlns="http://graphml.graphdrawing.org/xmlns">
                  <key id="kind" for="node" attr.name="kind" attr.type="string"/>
                  <key id="label" for="node" attr.name="label" attr.type="string"/>
                  <key id="held_by" for="node" attr.name="held_by" attr.type="string"/>
                  <key id="type" for="edge" attr.name="type" attr.type="string"/>
                  <key id="observed_at" for="edge" attr.name="observed_at" attr.type="string"/>
                  <key id="agency" for="edge" attr.name="recorded_by_agency" attr.type="string"/>
                  <key id="recorded_by" for="edge" attr.name="recorded_by" attr.type="string"/>
                  <graph id="network" edgedefault="undirected">
                """);
        for (NetworkNodes.Node n : g.nodes()) {
            x.append("    <node id=\"")
                    .append(ids.get(n.key().toString()))
                    .append("\">")
                    .append(data("kind", n.key().kind()))
                    .append(data("label", label(n, locale)))
                    .append(data("held_by", n.heldBy()))
                    .append("</node>\n");
        }
        int i = 0;
        for (NetworkGraph.Edge e : g.edges()) {
            x.append("    <edge id=\"e")
                    .append(++i)
                    .append("\" source=\"")
                    .append(ids.get(e.from().toString()))
                    .append("\" target=\"")
                    .append(ids.get(e.to().toString()))
                    .append("\">")
                    .append(data("type", e.type()))
                    .append(data("observed_at", e.at().toString()))
                    .append(data("agency", e.agency()))
                    .append(data("recorded_by", e.recordedBy()))
                    .append("</edge>\n");
        }
        return x.append("  </graph>\n</graphml>\n").toString();
    }

    private static void flush(CsvWriter csv) {
        try {
            csv.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String data(String key, String value) {
        return value == null ? "" : "<data key=\"" + key + "\">" + HtmlUtils.htmlEscape(value, "UTF-8") + "</data>";
    }
}
