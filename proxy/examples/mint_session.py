"""Mint a billing-proxy session token, a JWT, on the host's backend with PyJWT.

    pip install pyjwt cryptography      # cryptography is needed for EdDSA only

The proxy (access = "signed-session") verifies it with the HS256 key you share with it
(session-key-file) or with your Ed25519 public key (session-public-key). Give the token to
the page that embeds the widget; the widget sends it as `x-billing-session`.

    python3 mint_session.py HS256 KEY_FILE OWNER_NO CUSTOMER_NO SUB [read|read-write]
    python3 mint_session.py EdDSA PRIVATE_KEY_PEM_FILE OWNER_NO CUSTOMER_NO SUB [read|read-write]
"""
import sys
import time

import jwt  # PyJWT


def mint_session(key: str, algorithm: str, owner_no: str, customer_no: str, sub: str,
                 scope: str = "read", lifetime_s: int = 600, audience: str = "billing-proxy") -> str:
    """key: the HS256 key's text, or the Ed25519 private key in PEM.
    Keep lifetime_s within the proxy's session-max-lifetime-s; audience is its session-audience."""
    now = int(time.time())
    claims = {"sub": sub, "aud": audience, "iat": now, "exp": now + lifetime_s,
              "ownerNo": owner_no, "customerNo": customer_no, "scope": scope}
    return jwt.encode(claims, key, algorithm=algorithm)


if __name__ == "__main__":
    algorithm, key_file, owner_no, customer_no, sub, *scope = sys.argv[1:]
    with open(key_file, encoding="utf-8") as file:
        key = file.read().strip()  # the proxy trims the key file too
    print(mint_session(key, algorithm, owner_no, customer_no, sub, *scope))
