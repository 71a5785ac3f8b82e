package org.sightline.access;

import org.springframework.security.authentication.AccountStatusException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The one password check of the application (the sign-in form, and HTTP Basic on the API and actuator all reach it
 * through the global authentication manager), wrapped in the {@link SignInThrottle}. A disabled account answers like
 * a wrong password, so neither its existence nor its state is told to someone who does not know its password. For an
 * account with a second factor the right password does not clear the account's count of failures: only the right code
 * does ({@link SecondFactors}), so a known password cannot be used to keep guessing codes.
 */
@Component
class ThrottledAuthentication implements AuthenticationProvider {

    private final DaoAuthenticationProvider passwords;
    private final SignInThrottle throttle;
    private final SecondFactors secondFactors;

    ThrottledAuthentication(
            UserAccounts accounts, PasswordEncoder encoder, SignInThrottle throttle, SecondFactors secondFactors) {
        this.passwords = new DaoAuthenticationProvider(accounts);
        this.passwords.setPasswordEncoder(encoder);
        this.throttle = throttle;
        this.secondFactors = secondFactors;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String source = SignInThrottle.source(authentication.getDetails());
        SignInThrottle.Attempt attempt = guarded(() -> throttle.begin(authentication.getName(), source));
        Authentication result;
        try {
            if (!possibleName(authentication.getName())) {
                // No account has such a name (user names are checked when accounts are made), and PostgreSQL
                // refuses a NUL in a query: a failure, without looking it up.
                throw new BadCredentialsException("impossible user name");
            }
            result = passwords.authenticate(authentication);
        } catch (BadCredentialsException | AccountStatusException e) {
            String why = e instanceof BadCredentialsException
                    ? "wrong user name or password"
                    : "account cannot sign in (" + e.getClass().getSimpleName() + ")";
            guarded(() -> {
                throttle.failed(attempt, why);
                return null;
            });
            throw new BadCredentialsException("bad credentials");
        }
        guarded(() -> {
            if (secondFactors.enrolled(result.getName())) {
                throttle.passwordAccepted(attempt);
            } else {
                throttle.succeeded(attempt);
            }
            return null;
        });
        return result;
    }

    /** The throttle's own database work failing is an outage (503, "sign-in is unavailable"), not a wrong password. */
    private static <T> T guarded(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (AuthenticationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InternalAuthenticationServiceException("sign-in throttle unavailable", e);
        }
    }

    private static boolean possibleName(String name) {
        return name != null && name.length() <= 200 && name.chars().noneMatch(Character::isISOControl);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
