package org.sightline.person;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sightline.web.FieldError;

/** The search form's date rules, GOV.UK style: each error names the field and what to do. */
class SearchFormTest {

    private static List<FieldError> errorsFor(String day, String month, String year) {
        List<FieldError> errors = new ArrayList<>();
        new PersonRecordController.SearchForm(null, "x", day, month, year, null, null, "1").dateOfBirth(errors);
        return errors;
    }

    @Test
    void partialDatesAreAllowed() {
        List<FieldError> errors = new ArrayList<>();
        PartialDate date =
                new PersonRecordController.SearchForm(null, null, "", "3", "2009", null, null, "1").dateOfBirth(errors);
        assertThat(errors).isEmpty();
        assertThat(date).isEqualTo(new PartialDate(2009, 3, null));
        assertThat(date.display()).isEqualTo("March 2009");
    }

    @Test
    void nonNumbersAndOutOfRangeValuesNameTheirField() {
        assertThat(errorsFor("x", "", "2009")).containsExactly(new FieldError("dobDay", "search.error.dob.day"));
        assertThat(errorsFor("", "13", "2009")).containsExactly(new FieldError("dobMonth", "search.error.dob.month"));
        assertThat(errorsFor("", "", "209")).containsExactly(new FieldError("dobYear", "search.error.dob.year"));
    }

    @Test
    void aDayWithoutMonthIsRefused() {
        assertThat(errorsFor("4", "", "2009")).containsExactly(new FieldError("dobYear", "search.error.dob.partial"));
    }

    @Test
    void impossibleDatesAreRefused() {
        assertThat(errorsFor("31", "2", "2010")).containsExactly(new FieldError("dobDay", "search.error.dob.real"));
    }
}
