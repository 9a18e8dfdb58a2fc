"""Mint a billing-proxy session token on the host's backend (Python 3, standard library only).

The proxy (access = "signed-session") verifies it with the same key. Give the token to the page
that embeds the widget; the widget sends it as `x-billing-session`.
"""
import base64
import hashlib
import hmac
import json
import time


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def mint_session(key: bytes, owner_no: str, customer_no: str, scope: str = "read",
                 lifetime_s: int = 900, sub: str | None = None, now: int | None = None) -> str:
    """scope: "read" or "read-write"; keep lifetime_s within the proxy's session-max-lifetime-s."""
    claims = {"ownerNo": owner_no, "customerNo": customer_no, "scope": scope,
              "exp": int(now if now is not None else time.time()) + lifetime_s}
    if sub is not None:
        claims["sub"] = sub  # who is signed in, for the proxy's audit log
    payload = b64url(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    signature = b64url(hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest())
    return f"{payload}.{signature}"


if __name__ == "__main__":
    key = b"0123456789abcdef0123456789abcdef"  # in production: read PROXY_SESSION_KEY's file
    print(mint_session(key, "100200", "Åkesson & Co/7", "read", 600, sub="user-1", now=2_000_000_000))
