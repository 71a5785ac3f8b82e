package org.sightline.network;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The hotspot places drawn where they are, as a plain SVG without map tiles (issue 10): the places with a known
 * position, projected so that distances look right near the area (longitude shrunk by the cosine of the latitude),
 * north up, fitted to the drawing with a scale bar. The table stays the full account; this only shows where.
 *
 * @param points the places drawn, in rank order
 * @param unplaced how many places in the list have no known position
 * @param scaleKm the length the scale bar stands for, and {@code scaleWidth} its width in the drawing's units
 */
record HotspotMap(List<Point> points, int places, int unplaced, List<String> sources, int scaleKm, double scaleWidth) {

    static final int WIDTH = 640;
    static final int HEIGHT = 420;
    private static final int PAD = 48;

    /** Nearer than this (in degrees) the drawing zooms no further: two points on one street stay apart. */
    private static final double MIN_EXTENT = 0.02;

    private static final double KM_PER_DEGREE = 111.32;

    /** A place drawn at (x, y); when set aside from others it would hide, (ax, ay) is where it really is. */
    record Point(Hotspots.Hotspot hotspot, double x, double y, double r, double ax, double ay) {
        public boolean approximate() {
            return hotspot.position().district();
        }

        public boolean moved() {
            return Math.hypot(x - ax, y - ay) >= 1;
        }
    }

    /** Lowest rank last, so that the first places are drawn on top. */
    public List<Point> drawOrder() {
        List<Point> order = new ArrayList<>(points);
        Collections.reverse(order);
        return order;
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    public int approximate() {
        return (int) points.stream().filter(Point::approximate).count();
    }

    static HotspotMap of(List<Hotspots.Hotspot> hotspots) {
        List<Hotspots.Hotspot> placed =
                hotspots.stream().filter(h -> h.position() != null).toList();
        List<String> sources = placed.stream()
                .map(h -> h.position().source())
                .distinct()
                .sorted()
                .toList();
        if (placed.isEmpty()) {
            return new HotspotMap(List.of(), hotspots.size(), hotspots.size(), sources, 0, 0);
        }
        double meanLat = placed.stream()
                .mapToDouble(h -> h.position().latitude())
                .average()
                .orElse(0);
        double shrink = Math.cos(Math.toRadians(meanLat));
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Hotspots.Hotspot h : placed) {
            double x = h.position().longitude() * shrink;
            double y = h.position().latitude();
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        double dx = Math.max(maxX - minX, MIN_EXTENT);
        double dy = Math.max(maxY - minY, MIN_EXTENT);
        double scale = Math.min((WIDTH - 2 * PAD) / dx, (HEIGHT - 2 * PAD) / dy);
        double cx = (minX + maxX) / 2;
        double cy = (minY + maxY) / 2;
        List<double[]> at = new ArrayList<>();
        for (Hotspots.Hotspot h : placed) {
            double x = WIDTH / 2.0 + (h.position().longitude() * shrink - cx) * scale;
            double y = HEIGHT / 2.0 - (h.position().latitude() - cy) * scale;
            at.add(new double[] {x, y, Math.min(24, 10 + 3 * Math.sqrt(h.children() - 1.0)), x, y});
        }
        separate(at);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < placed.size(); i++) {
            double[] p = at.get(i);
            points.add(new Point(placed.get(i), round(p[0]), round(p[1]), round(p[2]), round(p[3]), round(p[4])));
        }
        // A scale bar of the longest round length that takes at most a quarter of the width.
        double kmPerUnit = KM_PER_DEGREE / scale;
        int km = 1;
        for (int candidate : new int[] {1, 2, 5, 10, 20, 50, 100, 200}) {
            if (candidate / kmPerUnit <= WIDTH / 4.0) {
                km = candidate;
            }
        }
        return new HotspotMap(
                List.copyOf(points),
                hotspots.size(),
                hotspots.size() - placed.size(),
                sources,
                km,
                round(km / kmPerUnit));
    }

    /**
     * Circles that would cover one another (places in one street, or at one district's centre) are pushed apart a
     * little at a time until none overlaps, each kept inside the drawing; the page joins a moved circle to where its
     * place really is. Deterministic: circles at one spot part in directions set by their order.
     */
    private static void separate(List<double[]> at) {
        for (int round = 0; round < 400; round++) {
            boolean moved = false;
            for (int i = 0; i < at.size(); i++) {
                for (int j = i + 1; j < at.size(); j++) {
                    double[] a = at.get(i), b = at.get(j);
                    double dx = b[0] - a[0], dy = b[1] - a[1];
                    double d = Math.hypot(dx, dy);
                    double gap = a[2] + b[2] + 2 - d;
                    if (gap > 0.01) {
                        if (d < 1e-6) {
                            double angle = 2 * Math.PI * (j * 0.618034 % 1);
                            dx = Math.cos(angle);
                            dy = Math.sin(angle);
                            d = 1;
                        }
                        double push = gap / 2 + 0.01;
                        a[0] -= dx / d * push;
                        a[1] -= dy / d * push;
                        b[0] += dx / d * push;
                        b[1] += dy / d * push;
                        moved = true;
                    }
                }
            }
            for (double[] p : at) {
                p[0] = Math.max(p[2] + 1, Math.min(WIDTH - p[2] - 1, p[0]));
                p[1] = Math.max(p[2] + 1, Math.min(HEIGHT - p[2] - 1, p[1]));
            }
            if (!moved) {
                return;
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
