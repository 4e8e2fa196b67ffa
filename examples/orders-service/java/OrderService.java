package com.acme.orders;

import com.acme.orders.payments.PaymentClient;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

@Service
public class OrderService {

    private static final Logger log = LoggerFactory.getLogger(OrderService.class);
    private static final int MAX_ATTEMPTS = 3;

    private final PaymentClient payments;
    private final OrderRepository orders;
    private final InventoryClient inventory;
    // Gap: unbounded thread growth when the mail server slows down.
    private final ExecutorService mailer = Executors.newCachedThreadPool();
    private final ExecutorService io = Executors.newFixedThreadPool(16);

    public OrderService(PaymentClient payments, OrderRepository orders, InventoryClient inventory) {
        this.payments = payments;
        this.orders = orders;
        this.inventory = inventory;
    }

    /** Gap: constant 500 ms between attempts. */
    public String pay(Order order) throws InterruptedException {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return payments.authorize(order.id(), order.totalCents());
            } catch (IOException e) {
                log.warn("authorize failed (attempt {})", attempt, e);
                Thread.sleep(500);
            }
        }
        throw new PaymentFailedException(order.id());
    }

    /** Gap: retries forever on a permanent failure. */
    public void reserveStock(Order order) throws InterruptedException {
        while (true) {
            try {
                inventory.reserve(order.id(), order.lines());
                break;
            } catch (IOException e) {
                Thread.sleep(1_000);
            }
        }
    }

    /** Correct: capped, exponential backoff with jitter, interrupt restored. */
    public void releaseStock(Order order) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                inventory.release(order.id());
                return;
            } catch (IOException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                sleepQuietly((100L << attempt) + java.util.concurrent.ThreadLocalRandom.current().nextLong(100));
            }
        }
    }

    public void sendConfirmation(Order order) {
        mailer.submit(() -> {
            try {
                Mailer.send(order.customerEmail(), "Order " + order.id() + " confirmed");
            } catch (IOException e) {
            }
        });
    }

    /** Gap: blocks the event loop twice (JDBC in map, block() on another Mono). */
    public Mono<OrderView> view(String orderId) {
        Customer customer = inventory.customerOf(orderId).block();
        return Mono.just(orderId).map(id -> orders.jdbcTemplate.queryForObject(
                "SELECT * FROM orders WHERE id = ?", OrderView.MAPPER, id).withCustomer(customer));
    }

    /** Correct: blocking JDBC moved to the bounded elastic scheduler. */
    public Mono<OrderView> viewOffloaded(String orderId) {
        return Mono.fromCallable(() -> orders.jdbcTemplate.queryForObject(
                        "SELECT * FROM orders WHERE id = ?", OrderView.MAPPER, orderId))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** Correct: compose futures, join only after allOf. */
    public CompletableFuture<Quote> quote(Order order) {
        CompletableFuture<Tax> tax = CompletableFuture.supplyAsync(() -> orders.tax(order), io);
        CompletableFuture<Shipping> ship = CompletableFuture.supplyAsync(() -> orders.shipping(order), io);
        return CompletableFuture.allOf(tax, ship).thenApply(v -> new Quote(tax.join(), ship.join()));
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            log.debug("backoff interrupted");
        }
    }
}
