package org.sightline.concern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.List;
import org.sightline.access.Roles;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Exploitation concerns")
class ScreeningInstrumentApiController {

    private final ScreeningInstruments instruments;

    ScreeningInstrumentApiController(ScreeningInstruments instruments) {
        this.instruments = instruments;
    }

    /** Every shipped version, so clients can show and score old screenings exactly as they were. */
    record Catalogue(List<ScreeningInstrument> instruments, List<Indicator> indicators) {}

    record Indicator(String code, boolean significant) {}

    @GetMapping("/api/v1/screening-instruments")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(summary = "Screening instrument definitions (all versions) and the indicator code list")
    Catalogue list() {
        return new Catalogue(
                instruments.all(),
                Arrays.stream(CseIndicator.values())
                        .map(i -> new Indicator(i.code(), i.significant()))
                        .toList());
    }
}
