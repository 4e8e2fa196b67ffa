package com.acme.orders.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

public class OrderEnricher {

    private final CustomerClient customers;
    private final PricingClient pricing;
    private final Executor executor;

    public OrderEnricher(CustomerClient customers, PricingClient pricing, Executor executor) {
        this.customers = customers;
        this.pricing = pricing;
        this.executor = executor;
    }

    public Mono<Order> enrich(Order order) {
        // ruleid: sync-over-async
        Customer customer = customers.find(order.customerId()).block();
        return Mono.just(order.withCustomer(customer));
    }

    public CompletableFuture<Order> price(Order order) {
        return CompletableFuture.supplyAsync(() -> {
            // ruleid: sync-over-async
            Quote quote = pricing.quoteAsync(order.id()).join();
            return order.withQuote(quote);
        }, executor);
    }

    public CompletableFuture<Order> priceAndDiscount(Order order) {
        CompletableFuture<Quote> quoteFuture = pricing.quoteAsync(order.id());
        return customers.findAsync(order.customerId())
                // ruleid: sync-over-async
                .thenApply(c -> order.withCustomer(c).withQuote(quoteFuture.get()));
    }

    public CompletableFuture<Order> reprice(Order order) {
        // ruleid: sync-over-async
        Quote quote = pricing.quoteAsync(order.id()).join();
        return CompletableFuture.completedFuture(order.withQuote(quote));
    }

    public CompletableFuture<Order> repriceIfQuoted(Order order, CompletableFuture<Quote> pending) {
        if (pending.isDone() && !pending.isCompletedExceptionally()) {
            // Already complete: join() returns at once.
            // ok: sync-over-async
            return CompletableFuture.completedFuture(order.withQuote(pending.join()));
        }
        if (!pending.isDone()) {
            // ruleid: sync-over-async
            Quote quote = pending.join();
            return CompletableFuture.completedFuture(order.withQuote(quote));
        }
        return pending.thenApply(order::withQuote);
    }

    // --- the correct shapes ---

    public Mono<Order> enrichComposed(Order order) {
        // ok: sync-over-async
        return customers.find(order.customerId()).map(order::withCustomer);
    }

    public CompletableFuture<Order> priceBoth(Order order) {
        CompletableFuture<Quote> quote = pricing.quoteAsync(order.id());
        CompletableFuture<Customer> customer = customers.findAsync(order.customerId());
        return CompletableFuture.allOf(quote, customer)
                // ok: sync-over-async
                .thenApply(v -> order.withQuote(quote.join()).withCustomer(customer.join()));
    }

    public CompletableFuture<Order> withDefaults(Order order, Optional<Quote> cached) {
        // ok: sync-over-async
        return CompletableFuture.supplyAsync(() -> order.withQuote(cached.get()), executor);
    }

    public CompletableFuture<Integer> repriceAll(List<Order> orders) {
        return CompletableFuture.supplyAsync(() -> {
            List<CompletableFuture<Quote>> futures = new ArrayList<>();
            for (Order order : orders) {
                futures.add(pricing.quoteAsync(order.id()));
            }
            // ruleid: sync-over-async
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).join();
            int priced = 0;
            for (CompletableFuture<Quote> future : futures) {
                // allOf(...) was waited for above: every future here is complete.
                // ok: sync-over-async
                if (future.get() != null) {
                    priced++;
                }
            }
            return priced;
        }, executor);
    }

    @Bean
    public Customer houseAccount() {
        // Wiring code on the main thread may block.
        // ok: sync-over-async
        return customers.find("house").block();
    }

    public Mono<Customer> legacyLookup(String id) {
        // ok: sync-over-async
        return Mono.fromCallable(() -> customers.find(id).block())
                .subscribeOn(Schedulers.boundedElastic());
    }

    private final AtomicReference<CompletableFuture<Void>> subscribeFuture =
            new AtomicReference<>(CompletableFuture.completedFuture(null));

    public CompletableFuture<Void> whenSubscribed() {
        // The holder hands back the future; nothing waits here.
        // ok: sync-over-async
        return subscribeFuture.get().thenRun(() -> customers.touch());
    }

    public CompletableFuture<Customer> waitForSubscription(CompletableFuture<Customer> lookup) {
        CompletableFuture<Void> touchFuture = lookup.thenAccept(c -> customers.touch());
        // ruleid: sync-over-async
        touchFuture.get();
        return lookup;
    }
}
