import requests

# ruleid: requests-without-timeout
requests.get("https://a.internal/x")
# ruleid: requests-without-timeout
requests.post("https://a.internal/x", json={}, timeout=None)
# ok: requests-without-timeout
requests.get("https://a.internal/x", timeout=3)
