package org.sightline.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The notification e-mail through a real SMTP server (GreenMail): it reaches the agency's address and says only that
 * an alert is waiting, with the link; nothing about the child.
 */
class AlertMailTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);

    private static AlertMail mail(boolean enabled) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("localhost");
        sender.setPort(smtp.getSmtp().getPort());
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("mailSender", sender);
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasenames("i18n/alerts");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        return new AlertMail(
                beans.getBeanProvider(JavaMailSender.class),
                messages,
                new AlertMail.AlertMailProperties(
                        enabled,
                        "sightline@example.org",
                        "https://sightline.example/",
                        Map.of("KENT-POLICE", "duty@kent.example", "GWENT-POLICE", "duty@gwent.example"),
                        Set.of("GWENT-POLICE")));
    }

    @Test
    void theMailSaysOnlyThatAnAlertIsWaitingAndLinksToIt() throws Exception {
        UUID alert = UUID.randomUUID();
        mail(true).alertWaiting("KENT-POLICE", "Kent Police", alert);
        mail(true).alertWaiting("NO-ADDRESS", "Elsewhere", UUID.randomUUID());
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage m = received[0];
        assertThat(m.getAllRecipients()[0].toString()).isEqualTo("duty@kent.example");
        assertThat(m.getSubject()).isEqualTo("Sightline: an alert is waiting");
        String body = GreenMailUtil.getBody(m);
        assertThat(body)
                .contains("An alert is waiting for Kent Police in Sightline.")
                .contains("https://sightline.example/alerts/" + alert);
        // Only the agency, the link and fixed words: nothing of the alert's explanation or the child.
        String withoutLink = body.replace("https://sightline.example/alerts/" + alert, "");
        assertThat(withoutLink.replaceAll("\\s+", " ").strip())
                .isEqualTo("An alert is waiting for Kent Police in "
                        + "Sightline. Sign in to read it and act on it: This e-mail holds no details of the child; they stay "
                        + "in Sightline.");
    }

    @Test
    void aWelshAgencyGetsTheMailInWelshThenEnglish() throws Exception {
        UUID alert = UUID.randomUUID();
        mail(true).alertWaiting("GWENT-POLICE", "Heddlu Gwent", alert);
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("Sightline: mae rhybudd yn aros / Sightline: an alert is waiting");
        String body = (String) m.getContent();
        assertThat(body.indexOf("Mae rhybudd yn aros i Heddlu Gwent yn Sightline."))
                .isNotNegative()
                .isLessThan(body.indexOf("An alert is waiting for Heddlu Gwent in Sightline."));
    }

    @Test
    void nothingIsSentWhileMailIsOff() {
        mail(false).alertWaiting("KENT-POLICE", "Kent Police", UUID.randomUUID());
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }
}
