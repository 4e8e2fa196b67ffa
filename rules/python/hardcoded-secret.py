import os

import boto3
import requests
import stripe

# ruleid: hardcoded-secret
AWS_KEY_ID = "AKIA2JQ7H4XWZ6PLMN3R"

# ruleid: hardcoded-secret
stripe.api_key = "sk_live_4eC39HqLyjWDarjtT7zX9q2V"

# ruleid: hardcoded-secret
SIGNING_KEY = """
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA1q2w3e4r5t6y7u8i9o0pPlOkIjUhYgTfRdEsWaQzXcVbNmLk
-----END RSA PRIVATE KEY-----
"""


def notify_release(version: str) -> None:
    # ruleid: hardcoded-secret
    headers = {"Authorization": "token ghp_Zq7Lm2Xc9Vb4Nw1Ks8Jd3Hf6Gt5Ry0Pu2Ei4"}
    requests.post("https://api.github.com/repos/acme/orders/releases", json={"tag_name": version},
                  headers=headers, timeout=10)


def s3_client():
    # ok: hardcoded-secret
    return boto3.client("s3", aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"])


# AWS's documentation key.
# ok: hardcoded-secret
EXAMPLE_KEY_ID = "AKIAIOSFODNN7EXAMPLE"

# ok: hardcoded-secret
STRIPE_TEST_KEY = "sk_test_4eC39HqLyjWDarjtT7zX9q2V"

# ok: hardcoded-secret
PLACEHOLDER = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"


def is_pem_key(text: str) -> bool:
    # Only the header: used to recognise a key, not a key.
    # ok: hardcoded-secret
    return text.startswith("-----BEGIN RSA PRIVATE KEY-----")


# ok: hardcoded-secret
STRIPE_KEY = os.environ.get("STRIPE_KEY", "sk_live_your_key_here")
