package org.sightline.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** The header's "English | Cymraeg" switch: which language is shown and the links to the same page in each. */
@ControllerAdvice
class LanguageSwitchAdvice {

    record LanguageSwitch(boolean welsh, String english, String cymraeg) {}

    @ModelAttribute("languageSwitch")
    LanguageSwitch languageSwitch(HttpServletRequest request) {
        // An error page links to the address that failed, not to /error.
        String failed = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = failed != null ? failed : request.getRequestURI();
        String query = failed != null ? null : request.getQueryString();
        return new LanguageSwitch(
                "cy".equals(LocaleContextHolder.getLocale().getLanguage()),
                LanguageConfiguration.switchTo(path, query, "en"),
                LanguageConfiguration.switchTo(path, query, "cy"));
    }
}
