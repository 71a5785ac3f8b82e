package org.sightline.alert;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.MessageSource;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Optional e-mail that an alert is waiting (off by default): to the receiving agency's address from
 * {@code sightline.alerts.mail.to.AGENCY_CODE}, through the SMTP server of {@code spring.mail.*}, sent after the
 * alert commits. The mail says only that an alert is waiting for the agency and links to it: no name, date of birth
 * or detail ever leaves Sightline by mail. The inbox stays the record; a mail that fails is logged, not retried.
 * Agencies in {@code sightline.alerts.mail.welsh} (Welsh public bodies) get it in Welsh and English, Welsh first: the
 * mailbox is the agency's, not one user's, so no user's language choice applies.
 */
@Component
class AlertMail {

    private static final Logger LOG = LoggerFactory.getLogger(AlertMail.class);
    private static final Locale WELSH = Locale.forLanguageTag("cy-GB");

    private final ObjectProvider<JavaMailSender> sender;
    private final MessageSource messages;
    private final boolean enabled;
    private final String from;
    private final String baseUrl;
    private final Map<String, String> to;
    private final Set<String> welsh;

    AlertMail(ObjectProvider<JavaMailSender> sender, MessageSource messages, AlertMailProperties properties) {
        this.sender = sender;
        this.messages = messages;
        this.enabled = properties.enabled();
        this.from = properties.from();
        this.baseUrl = properties.baseUrl().replaceAll("/+$", "");
        this.to = properties.to();
        this.welsh = properties.welsh();
    }

    boolean enabled() {
        return enabled && !to.isEmpty();
    }

    /** Queues the mail for after the current transaction commits (nothing is sent for a rolled-back alert). */
    void alertWaiting(String agencyCode, String agencyName, UUID alert) {
        String address = to.get(agencyCode);
        if (!enabled || address == null || sender.getIfAvailable() == null) {
            return;
        }
        SimpleMailMessage mail = message(agencyCode, address, agencyName, alert);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    send(mail);
                }
            });
        } else {
            send(mail);
        }
    }

    SimpleMailMessage message(String agencyCode, String address, String agencyName, UUID alert) {
        SimpleMailMessage mail = new SimpleMailMessage();
        mail.setFrom(from);
        mail.setTo(address);
        Object[] args = {agencyName, baseUrl + "/alerts/" + alert};
        String subject = messages.getMessage("alert.mail.subject", null, Locale.UK);
        String body = messages.getMessage("alert.mail.body", args, Locale.UK);
        if (welsh.contains(agencyCode)) {
            subject = messages.getMessage("alert.mail.subject", null, WELSH) + " / " + subject;
            body = messages.getMessage("alert.mail.body", args, WELSH) + "\n\n---\n\n" + body;
        }
        mail.setSubject(subject);
        mail.setText(body);
        return mail;
    }

    private void send(SimpleMailMessage mail) {
        try {
            sender.getObject().send(mail);
        } catch (MailException e) {
            LOG.warn("alert notification e-mail not sent: {}", e.getClass().getSimpleName());
        }
    }

    /** {@code sightline.alerts.mail.*}. */
    @org.springframework.boot.context.properties.ConfigurationProperties("sightline.alerts.mail")
    record AlertMailProperties(
            @org.springframework.boot.context.properties.bind.DefaultValue("false") boolean enabled,
            @org.springframework.boot.context.properties.bind.DefaultValue("sightline@localhost") String from,
            @org.springframework.boot.context.properties.bind.DefaultValue("http://localhost:8080") String baseUrl,
            @org.springframework.boot.context.properties.bind.DefaultValue Map<String, String> to,
            @org.springframework.boot.context.properties.bind.DefaultValue Set<String> welsh) {}
}
