package org.sightline.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A list shown a page at a time, for the GOV.UK pagination ({@code fragments/pagination}): the page numbers to link
 * (the first, the last, and those next to the current one; {@code null} marks an ellipsis between) and the address of
 * each page, keeping the list's filters.
 *
 * @param path the list's address with its filters, without the page
 */
public record Pagination(int page, int pages, String path) {

    /** {@code filters}: the query parameters to keep, as name, value, name, value…; blank values are left out. */
    public static Pagination of(int page, int pages, String listPath, String... filters) {
        if (filters.length % 2 != 0) {
            throw new IllegalArgumentException("filters come in name and value pairs");
        }
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath(listPath);
        for (int i = 0; i < filters.length; i += 2) {
            if (filters[i + 1] != null && !filters[i + 1].isBlank()) {
                uri.queryParam(filters[i], filters[i + 1]);
            }
        }
        return new Pagination(page, pages, uri.encode().build().toUriString());
    }

    /** The address of page {@code number}. */
    public String href(int number) {
        return path + (path.contains("?") ? "&" : "?") + "page=" + number;
    }

    /** The page numbers to link, {@code null} standing for an ellipsis. */
    public List<Integer> numbers() {
        return numbers(page, pages);
    }

    static List<Integer> numbers(int current, int pages) {
        List<Integer> numbers = new ArrayList<>();
        for (int p = 1; p <= pages; p++) {
            if (p == 1 || p == pages || Math.abs(p - current) <= 1) {
                numbers.add(p);
            } else if (numbers.get(numbers.size() - 1) != null) {
                numbers.add(null);
            }
        }
        return Collections.unmodifiableList(numbers);
    }
}
