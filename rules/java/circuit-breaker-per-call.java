package com.acme.orders.rates;

import dev.failsafe.Failsafe;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;

public class RatesService {
    private final RatesClient client;
    private final CircuitBreaker guarded;
    private final CircuitBreakerRegistry registry;

    public RatesService(RatesClient client, CircuitBreakerRegistry registry) {
        this.client = client;
        this.registry = registry;
        // ok: circuit-breaker-per-call
        CircuitBreaker cb = CircuitBreaker.ofDefaults("rates");
        this.guarded = cb;
    }

    public Rates rates() {
        // ruleid: circuit-breaker-per-call
        CircuitBreaker cb = CircuitBreaker.ofDefaults("rates");
        return cb.executeSupplier(client::fetchRates);
    }

    public Rates quote(String currency) {
        // ruleid: circuit-breaker-per-call
        CircuitBreaker breaker = CircuitBreaker.of("quotes", CircuitBreakerConfig.custom()
            .failureRateThreshold(50).waitDurationInOpenState(Duration.ofSeconds(30)).build());
        Supplier<Rates> call = CircuitBreaker.decorateSupplier(breaker, () -> client.quote(currency));
        return call.get();
    }

    public Rates ping() {
        // ruleid: circuit-breaker-per-call
        return CircuitBreaker.ofDefaults("ping").executeSupplier(client::ping);
    }

    public Rates history(String day) {
        // ruleid: circuit-breaker-per-call
        var cb = dev.failsafe.CircuitBreaker.ofDefaults();
        return Failsafe.with(cb).get(() -> client.history(day));
    }

    public Rates ratesGuarded() {
        // ok: circuit-breaker-per-call
        return guarded.executeSupplier(client::fetchRates);
    }

    public Rates ratesFromRegistry() {
        // The registry returns the same breaker for a name.
        // ok: circuit-breaker-per-call
        CircuitBreaker cb = registry.circuitBreaker("rates");
        return cb.executeSupplier(client::fetchRates);
    }

    @Bean
    CircuitBreaker ratesBreaker() {
        // ok: circuit-breaker-per-call
        CircuitBreaker cb = CircuitBreaker.ofDefaults("rates");
        cb.getEventPublisher().onStateTransition(e -> System.out.println(e));
        return cb;
    }
}
