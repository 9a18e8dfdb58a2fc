//! The `--help` text.

/// The `--help` text.
pub const USAGE: &str = "\
Usage: billing-proxy [OPTIONS]

Serves the widget's static bundle and forwards the allowlisted routes of
/billing/customer/v1/... and /billing/invoice/v1/... to the Billing API, adding the
server-side credentials.

Every option can be set in the TOML file (key without the leading --), by the
environment variable beside it, or as a flag; a flag wins over the variable, which
wins over the file. Settings marked (secret) are not accepted as flags.

  --config PATH                  PROXY_CONFIG                 TOML file of settings
  --listen ADDR                  PROXY_LISTEN                 [default: 127.0.0.1:8080]
  --admin-listen ADDR            PROXY_ADMIN_LISTEN           /metrics, /readyz and /healthz, kept
                                                              off the public listener
                                                              [default: 127.0.0.1:9090]
  --upstream URL                 PROXY_UPSTREAM               Billing API base URL (required), e.g.
                                                              https://lf-api.payex.com
  --allow-insecure-upstream BOOL PROXY_ALLOW_INSECURE_UPSTREAM
                                                              allow an http:// upstream (the token
                                                              crosses unencrypted: a local
                                                              simulator only) [default: false]
  --owner-no OWNER               PROXY_OWNER_NO               the ledger forwarded to (required)
  --token-file PATH              PROXY_TOKEN_FILE             file holding the bearer token;
                                                              re-read when it changes
                                 PROXY_TOKEN                  the bearer token (secret)
  --token-reload-ms MS           PROXY_TOKEN_RELOAD_MS        how often the token file is checked
                                                              [default: 5000]
  --upstream-ca PATH             PROXY_UPSTREAM_CA            PEM certificates trusted for the
                                                              upstream besides the public roots
  --client-cert PATH             PROXY_CLIENT_CERT            PEM client certificate (chain) for
                                                              mutual TLS with the upstream
  --client-key PATH              PROXY_CLIENT_KEY             its PEM private key
  --client-pkcs12 PATH           PROXY_CLIENT_PKCS12          or both in one PKCS#12 file
                                 PROXY_CLIENT_PKCS12_PASSWORD its password (secret)
  --cert-expiry-warning-days N   PROXY_CERT_EXPIRY_WARNING_DAYS
                                                              /readyz fails this close to the
                                                              certificate's expiry [default: 14]
  --access MODE                  PROXY_ACCESS                 trusted | signed-session (required)
  --trusted-scope SCOPE          PROXY_TRUSTED_SCOPE          read | read-write [default: read];
                                                              read-write needs --allowed-origins
  --trusted-user-header NAME     PROXY_TRUSTED_USER_HEADER    header naming the signed-in user,
                                                              set (overwritten, never appended)
                                                              by the host's reverse proxy
  --session-key-file PATH        PROXY_SESSION_KEY_FILE       HS256 key of session JWTs
                                 PROXY_SESSION_KEY            the key itself (secret), >= 32 bytes
  --session-public-key PATH      PROXY_SESSION_PUBLIC_KEY     or: Ed25519 public key (PEM) of EdDSA
                                                              session JWTs; give exactly one key
  --session-audience AUD         PROXY_SESSION_AUDIENCE       the `aud` session JWTs must carry
                                                              [default: billing-proxy]
  --session-max-lifetime-s S     PROXY_SESSION_MAX_LIFETIME_S longest session (exp - iat) accepted
                                                              [default: 3600]
  --session-cookie BOOL          PROXY_SESSION_COOKIE         also take the session from the
                                                              __Host-billing-session cookie
                                                              [default: false: the header only]
  --allowed-origins LIST         PROXY_ALLOWED_ORIGINS        origins allowed to write, comma-separated
                                                              [default: none: every write refused]
  --rate-limit-per-second N      PROXY_RATE_LIMIT_PER_SECOND  per subject; 0 = no limit [default: 50]
  --rate-limit-burst N           PROXY_RATE_LIMIT_BURST       [default: 500]
  --static-dir DIR               PROXY_STATIC_DIR             the widget's bundle [default: dist]
  --frame-ancestors LIST         PROXY_FRAME_ANCESTORS        CSP frame-ancestors [default: 'self']
  --upstream-timeout-ms MS       PROXY_UPSTREAM_TIMEOUT_MS    limit on one upstream exchange
                                                              [default: 15000]
  --max-body-bytes N             PROXY_MAX_BODY_BYTES         largest request body [default: 262144]
  --max-upstream-body-bytes N    PROXY_MAX_UPSTREAM_BODY_BYTES
                                                              largest upstream answer; larger is a
                                                              502 [default: 16777216]
  --max-upstream-concurrency N   PROXY_MAX_UPSTREAM_CONCURRENCY
                                                              upstream requests in flight at once,
                                                              all workers together [default: 64]
  --upstream-queue-timeout-ms MS PROXY_UPSTREAM_QUEUE_TIMEOUT_MS
                                                              longest wait for a turn at the
                                                              upstream, then 503 with Retry-After
                                                              [default: 2000]
  --max-connections N            PROXY_MAX_CONNECTIONS        client connections open at once; when
                                                              full, no more are accepted until one
                                                              closes [default: 1024]
  --header-read-timeout-ms MS    PROXY_HEADER_READ_TIMEOUT_MS limit on reading a request's head; the
                                                              connection is closed [default: 30000]
  --body-read-timeout-ms MS      PROXY_BODY_READ_TIMEOUT_MS   limit on reading a request's body, then
                                                              408 [default: 10000]
  --hsts-max-age-s S             PROXY_HSTS_MAX_AGE_S         send Strict-Transport-Security with this
                                                              max-age; only where every client comes
                                                              through HTTPS (the proxy speaks plain
                                                              HTTP behind a TLS terminator); 0 = off
                                                              [default: 0]
  --log-format FORMAT            PROXY_LOG_FORMAT             text | json [default: text]
  --worker-threads N             PROXY_WORKER_THREADS         threads serving requests, each with its
                                                              own single-threaded runtime and upstream
                                                              connections: 0 = one per core
                                                              [default: 0]
  -h, --help                                                  print this help

Logging: RUST_LOG (default: info). Audit records have the target billing_proxy::audit.";
