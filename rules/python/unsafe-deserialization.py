import copy
import hmac
import json
import marshal
import pickle

import jsonpickle
import yaml
from django.conf import settings
from django.core.cache import caches

summary_cache = caches["summaries"]


def cached_order(redis, order_id):
    raw = redis.get(f"order:{order_id}")
    # ruleid: unsafe-deserialization
    return pickle.loads(raw)


def load_routing_rules(request):
    # ruleid: unsafe-deserialization
    return yaml.load(request.data)


def load_legacy_config(fh):
    # ruleid: unsafe-deserialization
    return yaml.load(fh, Loader=yaml.Loader)


def import_batch(path):
    with open(path, "rb") as fh:
        # ruleid: unsafe-deserialization
        return marshal.loads(fh.read())


def webhook_payload(body):
    # ruleid: unsafe-deserialization
    return jsonpickle.decode(body)


def load_promotions(text):
    # ruleid: unsafe-deserialization
    return yaml.unsafe_load(text)


def load_routing_rules_ok(request):
    # ok: unsafe-deserialization
    return yaml.safe_load(request.data)


def load_config_ok(fh):
    # ok: unsafe-deserialization
    return yaml.load(fh, Loader=yaml.SafeLoader)


def snapshot(order):
    # An in-process deep copy never sees outside bytes.
    # ok: unsafe-deserialization
    return pickle.loads(pickle.dumps(order))


def cached_order_ok(redis, order_id):
    # ok: unsafe-deserialization
    return json.loads(redis.get(f"order:{order_id}"))


def read_code_object(pyc_path):
    with open(pyc_path, "rb") as fh:
        fh.read(16)
        # Reading our own compiled bytecode.
        # ok: unsafe-deserialization
        return marshal.load(fh)


def read_signed_result(payload):
    signature, data = payload[:32], payload[32:]
    expected = hmac.new(settings.SECRET_KEY.encode(), data, "sha256").digest()
    if not hmac.compare_digest(signature, expected):
        raise ValueError("bad signature")
    # Authenticated with the server secret before decoding.
    # ok: unsafe-deserialization
    return pickle.loads(data)


def cached_summary(key):
    # Django's cache backend already unpickles whatever the store holds.
    raw = summary_cache.get(key)
    if raw is None:
        return None
    # ok: unsafe-deserialization
    return pickle.loads(raw)


def queued_job(queue_client):
    body = queue_client.get("jobs")
    # ruleid: unsafe-deserialization
    return pickle.loads(body)


def uploaded_model(request):
    # ruleid: unsafe-deserialization
    return pickle.load(request.files["model"])


class Loader(yaml.SafeLoader):
    """Safe loading plus an !include tag for split schema files."""

    def include(self, node):
        with open(self.construct_scalar(node)) as fh:
            return yaml.load(fh, Loader=Loader)  # ok: unsafe-deserialization


Loader.add_constructor("!include", Loader.include)


def load_schema(path):
    # `Loader` here is the SafeLoader subclass above.
    with open(path) as fh:
        # ok: unsafe-deserialization
        return yaml.load(fh, Loader)


def load_schema_keyword(path):
    with open(path) as fh:
        # ok: unsafe-deserialization
        return yaml.load(fh, Loader=Loader)


def remote_hashes(resp):
    # A bandit marker does not make a peer's pickle safe to load: still flagged.
    # ruleid: unsafe-deserialization
    return pickle.loads(resp.read())  # nosec: B301


class PackageConstructor(yaml.constructor.SafeConstructor):
    pass


# A package format's own loader, built on the full loader: `Loader=PackageYamlLoader` below looks safe.
# ruleid: unsafe-deserialization
class PackageYamlLoader(yaml.Loader, PackageConstructor):
    pass


# ruleid: unsafe-deserialization
class ManifestLoader(yaml.UnsafeLoader):
    pass


# ok: unsafe-deserialization
class IncludeLoader(yaml.SafeLoader):
    pass


# Built on the full loader but never handed to yaml.load here (a documented base for callers): not reported.
# ok: unsafe-deserialization
class LegacyLoader(yaml.Loader):
    pass


def load_package(contents):
    return list(yaml.load_all(contents, Loader=PackageYamlLoader))


def load_manifest(fh):
    return yaml.load(fh, Loader=ManifestLoader)


def load_with_includes(fh):
    return yaml.load(fh, Loader=IncludeLoader)


# Django settings: sessions serialised with pickle.
# ruleid: unsafe-deserialization
SESSION_SERIALIZER = "django.contrib.sessions.serializers.PickleSerializer"


class LegacySettings:
    # ruleid: unsafe-deserialization
    SESSION_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer'


def configure(settings):
    # ruleid: unsafe-deserialization
    settings.SESSION_SERIALIZER = "myproject.sessions.PickleSerializer"
    # ok: unsafe-deserialization
    settings.SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"


# ok: unsafe-deserialization
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
# ok: unsafe-deserialization
CACHE_SERIALIZER = "PickleSerializer"
