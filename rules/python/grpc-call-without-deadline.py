import logging

import grpc

from orders.v1 import inventory_pb2, inventory_pb2_grpc

log = logging.getLogger(__name__)


class InventoryClient:
    def __init__(self, target: str):
        self._channel = grpc.insecure_channel(target)
        self._stub = inventory_pb2_grpc.InventoryStub(self._channel)

    def reserve(self, sku: str, qty: int):
        # ruleid: grpc-call-without-deadline
        return self._stub.ReserveStock(inventory_pb2.ReserveRequest(sku=sku, qty=qty))

    def release(self, sku: str, qty: int):
        # ruleid: grpc-call-without-deadline
        future = self._stub.ReleaseStock.future(inventory_pb2.ReleaseRequest(sku=sku, qty=qty))
        return future.result()

    def level(self, sku: str):
        # ok: grpc-call-without-deadline
        return self._stub.GetLevel(inventory_pb2.LevelRequest(sku=sku), timeout=2.0)

    def levels(self, skus, **call_options):
        # Deadline forwarded by the caller.
        # ok: grpc-call-without-deadline
        return self._stub.GetLevels(inventory_pb2.LevelsRequest(skus=skus), **call_options)

    def close(self):
        # ok: grpc-call-without-deadline
        self._channel.close()


async def watch_levels(channel: grpc.aio.Channel, sku: str):
    stub = inventory_pb2_grpc.InventoryStub(channel)
    # ruleid: grpc-call-without-deadline
    reply = await stub.GetLevel(inventory_pb2.LevelRequest(sku=sku), timeout=None)
    return reply.level


def health(stub):
    # ok: grpc-call-without-deadline
    response, call = stub.Check.with_call(inventory_pb2.HealthRequest(), timeout=1.0)
    log.info("health: %s (%s)", response.status, call.code())
    return response
