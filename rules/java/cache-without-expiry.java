package com.acme.orders.pricing;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.google.common.cache.CacheBuilder;
import java.time.Duration;

public class PriceCache {

    private final PricingApi api;

    // ruleid: cache-without-expiry
    private final Cache<String, Price> prices = Caffeine.newBuilder().recordStats().build();

    // ruleid: cache-without-expiry
    private final com.google.common.cache.Cache<String, Price> legacy = CacheBuilder.newBuilder().build();

    private final AsyncLoadingCache<String, Price> asyncPrices;

    // ok: cache-without-expiry
    private final Cache<String, Price> fresh = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();

    // Size-bounded cache of immutable data.
    // ok: cache-without-expiry
    private final Cache<String, Currency> currencies = Caffeine.newBuilder().maximumSize(500).build();

    public PriceCache(PricingApi api) {
        this.api = api;
        // ruleid: cache-without-expiry
        this.asyncPrices = Caffeine.newBuilder().buildAsync(api::fetch);
    }

    public LoadingCache<String, Price> refreshing() {
        // ok: cache-without-expiry
        return Caffeine.newBuilder().refreshAfterWrite(Duration.ofMinutes(1)).maximumSize(5_000).build(api::fetch);
    }
}
