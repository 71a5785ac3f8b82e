package org.sightline.api;

import org.sightline.shared.TextRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Every JSON string read by the API follows {@link TextRules}: a NUL or a bidirectional override is refused as a 400
 * naming the property, instead of reaching PostgreSQL (which refuses NUL with a 500) or a page.
 */
@Configuration
class TextRulesModule {

    /** Marks the exception so the handler can name the rule; the value itself is never echoed. */
    static final String MARK = TextRules.RULE + ": ";

    @Bean
    JacksonModule textRules() {
        return new SimpleModule("sightline-text-rules").addDeserializer(String.class, new CleanStrings());
    }

    static final class CleanStrings extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = super.deserialize(p, ctxt);
            if (!TextRules.clean(value)) {
                throw InvalidFormatException.from(p, MARK + TextRules.MESSAGE, null, String.class);
            }
            return value;
        }
    }
}
