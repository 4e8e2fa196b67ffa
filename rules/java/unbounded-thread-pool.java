package com.acme.orders.notifications;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jboss.netty.channel.ChannelFactory;
import org.jboss.netty.channel.socket.nio.NioClientSocketChannelFactory;
import org.jboss.netty.channel.socket.nio.NioServerSocketChannelFactory;

public class NotificationExecutors {

    // ruleid: unbounded-thread-pool
    private final ExecutorService emailSender = Executors.newCachedThreadPool();

    // ruleid: unbounded-thread-pool
    private final ExecutorService smsSender = new ThreadPoolExecutor(4, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>());

    public ExecutorService webhookSender(ThreadFactory platformThreads) {
        // ruleid: unbounded-thread-pool
        return Executors.newThreadPerTaskExecutor(platformThreads);
    }

    // ok: unbounded-thread-pool
    private final ExecutorService pushSender = Executors.newFixedThreadPool(8);

    // ok: unbounded-thread-pool
    private final ExecutorService auditSender = new ThreadPoolExecutor(2, 16, 60, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(500), new ThreadPoolExecutor.CallerRunsPolicy());

    // ok: unbounded-thread-pool
    private final ExecutorService virtualSender = Executors.newVirtualThreadPerTaskExecutor();

    public ExecutorService virtualWebhookSender() {
        // ok: unbounded-thread-pool
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-", 0).factory());
    }

    // Netty 3 takes one boss and a fixed number of workers (the third argument) from these pools.
    private static final ChannelFactory CLIENT_CHANNELS = new NioClientSocketChannelFactory(
            // ok: unbounded-thread-pool
            Executors.newCachedThreadPool(),
            // ok: unbounded-thread-pool
            Executors.newCachedThreadPool(),
            4);

    public ChannelFactory serverChannels(int ioThreads) {
        // ok: unbounded-thread-pool
        ExecutorService boss = Executors.newCachedThreadPool();
        // ok: unbounded-thread-pool
        ExecutorService worker = Executors.newCachedThreadPool();
        return new NioServerSocketChannelFactory(boss, worker, ioThreads);
    }
}
