package com.acme.orders.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

public class OrderQueryService {

    private static final String ORDER_SQL = "SELECT id, status, total FROM orders WHERE id = ?";

    private final JdbcTemplate jdbcTemplate;
    private final RestTemplate restTemplate;
    private final ExecutorService ioExecutor;
    private final OrderRowMapper mapper = new OrderRowMapper();

    public OrderQueryService(JdbcTemplate jdbcTemplate, RestTemplate restTemplate, ExecutorService ioExecutor) {
        this.jdbcTemplate = jdbcTemplate;
        this.restTemplate = restTemplate;
        this.ioExecutor = ioExecutor;
    }

    public Flux<Order> orders(Flux<String> ids) {
        return ids.flatMap(id -> Mono.just(
                // ruleid: blocking-call-in-async
                jdbcTemplate.queryForObject(ORDER_SQL, mapper, id)));
    }

    public Mono<Quote> quote(String orderId) {
        return Mono.just(orderId)
                .map(id -> {
                    // ruleid: blocking-call-in-async
                    return restTemplate.getForObject("http://pricing/quotes/{id}", Quote.class, id);
                });
    }

    public Mono<Order> slowPath(Order order) {
        return Mono.just(order).doOnNext(o -> {
            try {
                // ruleid: blocking-call-in-async
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public CompletableFuture<Quote> quoteAsync(String orderId) {
        return CompletableFuture.supplyAsync(() ->
                // ruleid: blocking-call-in-async
                restTemplate.getForObject("http://pricing/quotes/{id}", Quote.class, orderId));
    }

    // --- the correct shapes ---

    public Flux<Order> ordersOffloaded(Flux<String> ids) {
        return ids.flatMap(id -> Mono.fromCallable(() ->
                        // ok: blocking-call-in-async
                        jdbcTemplate.queryForObject(ORDER_SQL, mapper, id))
                .subscribeOn(Schedulers.boundedElastic()));
    }

    public Flux<Order> ordersOnElastic(Flux<String> ids) {
        return ids.publishOn(Schedulers.boundedElastic())
                // ok: blocking-call-in-async
                .map(id -> jdbcTemplate.queryForObject(ORDER_SQL, mapper, id));
    }

    public CompletableFuture<Quote> quoteOnIoPool(String orderId) {
        return CompletableFuture.supplyAsync(() ->
                // ok: blocking-call-in-async
                restTemplate.getForObject("http://pricing/quotes/{id}", Quote.class, orderId), ioExecutor);
    }

    public List<Order> ordersBlocking(List<String> ids) {
        // A java.util.stream map is not reactive code.
        // ok: blocking-call-in-async
        return ids.stream().map(id -> jdbcTemplate.queryForObject(ORDER_SQL, mapper, id)).toList();
    }
}
