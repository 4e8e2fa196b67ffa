package com.acme.orders.inventory;

import com.acme.inventory.v1.InventoryGrpc;
import com.acme.inventory.v1.LevelReply;
import com.acme.inventory.v1.LevelRequest;
import com.acme.inventory.v1.ReserveReply;
import com.acme.inventory.v1.ReserveRequest;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;

public class InventoryClient {
    private final InventoryGrpc.InventoryBlockingStub blockingStub;
    private final InventoryGrpc.InventoryFutureStub futureStub;
    private final InventoryGrpc.InventoryStub asyncStub;

    public InventoryClient(ManagedChannel channel) {
        this.blockingStub = InventoryGrpc.newBlockingStub(channel);
        this.futureStub = InventoryGrpc.newFutureStub(channel);
        this.asyncStub = InventoryGrpc.newStub(channel);
    }

    public ReserveReply reserve(String sku, int qty) {
        // ruleid: grpc-call-without-deadline
        return blockingStub.reserve(ReserveRequest.newBuilder().setSku(sku).setQty(qty).build());
    }

    public ListenableFuture<LevelReply> level(String sku) {
        // ruleid: grpc-call-without-deadline
        return this.futureStub.getLevel(LevelRequest.newBuilder().setSku(sku).build());
    }

    public int levelNow(String sku) {
        var stub = InventoryGrpc.newBlockingStub(channel());
        // ruleid: grpc-call-without-deadline
        return stub.getLevel(LevelRequest.newBuilder().setSku(sku).build()).getLevel();
    }

    public java.lang.reflect.Method methodNamed(String name) throws NoSuchMethodException {
        // Reflection on the stub's class, not a call to the server.
        // ok: grpc-call-without-deadline
        return blockingStub.getClass().getMethod(name, ReserveRequest.class);
    }

    public ReserveReply reserveBounded(String sku, int qty) {
        // ok: grpc-call-without-deadline
        return blockingStub.withDeadlineAfter(2, TimeUnit.SECONDS)
            .reserve(ReserveRequest.newBuilder().setSku(sku).setQty(qty).build());
    }

    public int levelBounded(String sku) {
        var deadlineStub = blockingStub.withDeadlineAfter(500, TimeUnit.MILLISECONDS);
        // ok: grpc-call-without-deadline
        return deadlineStub.getLevel(LevelRequest.newBuilder().setSku(sku).build()).getLevel();
    }

    public LevelReply levelWithin(String sku, long timeoutMs) throws Exception {
        // The caller bounds the wait on the future.
        // ok: grpc-call-without-deadline
        ListenableFuture<LevelReply> future = futureStub.getLevel(LevelRequest.newBuilder().setSku(sku).build());
        return future.get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public void watch(String sku, StreamObserver<LevelReply> observer) {
        // A server stream that lives as long as the subscriber.
        // ok: grpc-call-without-deadline
        asyncStub.watchLevel(LevelRequest.newBuilder().setSku(sku).build(), observer);
    }

    public Object reflectiveStub(java.lang.reflect.Method newBlockingStub, int timeoutMs) throws Exception {
        // A stub made by a generated factory, given call options that carry the deadline.
        // ok: grpc-call-without-deadline
        return newBlockingStub.invoke(null, channel(), buildCallOptions(timeoutMs), timeoutMs);
    }

    private io.grpc.CallOptions buildCallOptions(int timeoutMs) {
        return io.grpc.CallOptions.DEFAULT.withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** An upload stream that is its own response observer. */
    final class Upload implements StreamObserver<ReserveReply> {
        private final StreamObserver<ReserveRequest> requests;

        Upload() {
            // ok: grpc-call-without-deadline
            this.requests = asyncStub.upload(this);
        }

        @Override public void onNext(ReserveReply reply) { }
        @Override public void onError(Throwable t) { }
        @Override public void onCompleted() { }
    }

    private ManagedChannel channel() {
        // ok: grpc-call-without-deadline
        return (ManagedChannel) blockingStub.getChannel();
    }

    private final java.util.function.Supplier<InventoryGrpc.InventoryBlockingStub> memoizedStub =
        () -> InventoryGrpc.newBlockingStub(channel());

    public LevelReply levelThroughSupplier(String sku) {
        // ruleid: grpc-call-without-deadline
        return memoizedStub.get().level(LevelRequest.newBuilder().setSku(sku).build());
    }

    public String authority() {
        // No call to the server: the supplier hands over a stub, and the stub its channel.
        // ok: grpc-call-without-deadline
        return memoizedStub.get().getChannel().authority();
    }

    public LevelReply levelWithDeadline(String sku) {
        // ok: grpc-call-without-deadline
        return memoizedStub.get().withDeadlineAfter(2, TimeUnit.SECONDS).level(LevelRequest.newBuilder().setSku(sku).build());
    }
}

/** The operator's command that drains one warehouse node: run by hand, stopped by hand. */
class DrainNode {
    public static void main(String[] args) {
        InventoryGrpc.InventoryBlockingStub stub = InventoryGrpc.newBlockingStub(
            io.grpc.ManagedChannelBuilder.forTarget(args[0]).usePlaintext().build());
        // ok: grpc-call-without-deadline
        LevelReply reply = stub.level(LevelRequest.newBuilder().setSku(args[1]).build());
        System.out.println(reply);
    }
}
