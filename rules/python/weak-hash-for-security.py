import hashlib
import hmac
from hashlib import md5, sha256


def hash_password(password: str) -> str:
    # ruleid: weak-hash-for-security
    return hashlib.md5(password.encode()).hexdigest()


def sign_webhook(secret: str, payload: bytes) -> str:
    # ruleid: weak-hash-for-security
    return hashlib.sha1(secret.encode() + payload).hexdigest()


def store_user(db, user, raw):
    # ruleid: weak-hash-for-security
    user.password_hash = hashlib.new("md5", raw.encode()).hexdigest()
    db.save(user)


def reset_link(user_id: int, token: str) -> str:
    # ruleid: weak-hash-for-security
    digest = md5(token.encode()).hexdigest()
    return f"/reset/{user_id}/{digest}"


def etag_for(body: bytes) -> str:
    # A content fingerprint for HTTP caching, not a credential.
    # ok: weak-hash-for-security
    return hashlib.md5(body).hexdigest()


def cache_key(order_id: int, currency: str) -> str:
    # ok: weak-hash-for-security
    return hashlib.sha1(f"{order_id}:{currency}".encode()).hexdigest()


def avatar_url(email: str) -> str:
    # Gravatar addresses are defined as the MD5 of the e-mail.
    # ok: weak-hash-for-security
    return "https://www.gravatar.com/avatar/" + md5(email.strip().lower().encode()).hexdigest()


def fingerprint_token(token: str) -> str:
    # Declared as non-security use (Python 3.9+).
    # ok: weak-hash-for-security
    return hashlib.md5(token.encode(), usedforsecurity=False).hexdigest()


def sign_request(secret: bytes, body: bytes) -> str:
    # ok: weak-hash-for-security
    return hmac.new(secret, body, sha256).hexdigest()


def hash_password_properly(password: str, salt: bytes) -> bytes:
    # ok: weak-hash-for-security
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)


def allow_password_attempt(limiter, email: str, pepper: str) -> bool:
    # The digest only names the rate-limit bucket for password attempts on this address.
    # ok: weak-hash-for-security
    key = hashlib.sha1((email + pepper).encode()).hexdigest()
    return limiter.take_from_bucket(f"pw-{key}", 20, 86400)


def check_password(limiter, user, password: str) -> bool:
    limiter.throttle(user.email)
    # ruleid: weak-hash-for-security
    return user.password_hash == hashlib.md5(password.encode()).hexdigest()


def create_app_cache_key_from_token(token: str) -> str:
    """The cache key under which the app for this token is kept."""
    # ok: weak-hash-for-security
    return f"AppByToken:{hashlib.md5(token.encode()).hexdigest()}"


def store_api_token(user, token: str) -> None:
    # ruleid: weak-hash-for-security
    user.api_token_hash = hashlib.sha1(token.encode()).hexdigest()
