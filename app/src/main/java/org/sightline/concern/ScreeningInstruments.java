package org.sightline.concern;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Every instrument version shipped under classpath:screening/*.yaml, loaded and validated when the application
 * starts (a broken definition stops the start). New screenings use the latest version of a code; stored
 * screenings are always shown with the version they were scored with.
 */
@Component
public class ScreeningInstruments {

    static final String LOCATION = "classpath*:screening/*.yaml";
    /** The instrument the web form uses. */
    static final String DEFAULT_CODE = "seraf";

    private final List<ScreeningInstrument> all;

    ScreeningInstruments() {
        this(loadAll(LOCATION));
    }

    ScreeningInstruments(List<ScreeningInstrument> instruments) {
        List<ScreeningInstrument> sorted = new ArrayList<>(instruments);
        sorted.sort(Comparator.comparing(ScreeningInstrument::code).thenComparingInt(ScreeningInstrument::version));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).key().equals(sorted.get(i - 1).key())) {
                throw new IllegalStateException(
                        "screening instrument " + sorted.get(i).key() + " is defined twice");
            }
        }
        if (sorted.isEmpty()) {
            throw new IllegalStateException("no screening instrument found at " + LOCATION);
        }
        this.all = List.copyOf(sorted);
    }

    static List<ScreeningInstrument> loadAll(String pattern) {
        try {
            List<ScreeningInstrument> loaded = new ArrayList<>();
            for (Resource r : new PathMatchingResourcePatternResolver().getResources(pattern)) {
                try (InputStream in = r.getInputStream()) {
                    loaded.add(InstrumentLoader.load("screening/" + r.getFilename(), in));
                }
            }
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read screening instruments at " + pattern, e);
        }
    }

    public List<ScreeningInstrument> all() {
        return all;
    }

    public Optional<ScreeningInstrument> find(String code, int version) {
        return all.stream()
                .filter(i -> i.code().equals(code) && i.version() == version)
                .findFirst();
    }

    public Optional<ScreeningInstrument> latest(String code) {
        return all.stream().filter(i -> i.code().equals(code)).reduce((a, b) -> b);
    }

    /** For pages showing a stored screening with its own version's wording; null if not shipped. */
    public ScreeningInstrument definition(String code, int version) {
        return find(code, version).orElse(null);
    }

    /** Used for stored screenings: their version must still be shipped. */
    ScreeningInstrument require(String code, int version) {
        return find(code, version)
                .orElseThrow(() -> new IllegalStateException("screening instrument " + code + "/v" + version
                        + " is no longer shipped; published versions must stay"));
    }
}
