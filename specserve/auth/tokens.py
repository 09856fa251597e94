"""JWT access tokens: issued for API keys (HS256) and verified with an algorithm allow-list.

Hardening against the known JWT attacks:
- the algorithm comes from our configuration, never from the token: `alg: none`, an
  algorithm that is not configured, and HS256 tokens signed with a public key (key
  confusion: HS256 only ever uses the configured secret) are all refused;
- `exp` is required; `nbf`, `iat`, `iss` and `aud` are checked with a small leeway;
- tokens issued for a key carry its id and its secret's generation (`gen`), and stop working
  as soon as the key is revoked, or rotated past its grace period; a key limited to some
  models passes the limit on (`models`).
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

if TYPE_CHECKING:  # config checks its settings with the loaders below: no import cycle
    from specserve.config import Settings

MAX_TOKEN_LIFETIME = 86400  # seconds; longer-lived tokens (from any issuer) are refused
MAX_TOKEN_BYTES = 8192
ASYMMETRIC = ("RS256", "ES256")


class TokenError(Exception):
    """A token that must not be accepted; the message is safe to return to the client."""


PublicKey = RSAPublicKey | EllipticCurvePublicKey


def load_public_key(value: str) -> PublicKey:
    """The identity provider's key from `SPECSERVE_JWT_PUBLIC_KEY` (a PEM, or a path to one).

    Checked by the settings before start and loaded by every worker, with this one function:
    a key that cannot verify RS256/ES256 tokens (a missing file, not PEM, a private key) stops
    start-up with one line, instead of every token failing later. The messages never echo
    the file's content."""
    pem = value if value.lstrip().startswith("-----BEGIN") else _read(Path(value))
    if "PRIVATE KEY" in pem:
        raise ValueError("expected the identity provider's public key, not a private key")
    try:
        key = load_pem_public_key(pem.encode())
    except (ValueError, TypeError):
        raise ValueError("expected a PEM public key (-----BEGIN PUBLIC KEY-----)") from None
    if not isinstance(key, RSAPublicKey | EllipticCurvePublicKey):
        raise ValueError("expected an RSA or EC public key (for RS256 or ES256)")
    return key


def load_jwks(path: Path) -> jwt.PyJWKSet:
    """The identity provider's keys from `SPECSERVE_JWT_JWKS_FILE`, checked like
    `load_public_key`: a file that is not a JSON Web Key Set of public keys is refused."""
    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON (line {exc.lineno}, column {exc.colno})") from None
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list) or not all(isinstance(k, dict) for k in keys):
        raise ValueError('expected a JSON Web Key Set: {"keys": [{...}, ...]}')
    if any("d" in k for k in keys):  # `d`: the private exponent (RFC 7518 section 6.2.2.1)
        raise ValueError("holds a private key; publish only public keys")
    try:
        return jwt.PyJWKSet.from_dict(data)
    except jwt.PyJWTError as exc:
        raise ValueError(f"no usable key ({exc})") from None


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or "not text"
        raise ValueError(f"cannot read the file ({why})") from None


class TokenService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
        self.secret = secret
        public_key = settings.jwt_public_key
        self.public_key = load_public_key(public_key) if public_key else None
        self.jwks = load_jwks(settings.jwt_jwks_file) if settings.jwt_jwks_file else None
        self.algorithms: set[str] = set()
        if secret:
            self.algorithms.add("HS256")
        if self.public_key or self.jwks:
            self.algorithms.update(ASYMMETRIC)

    @property
    def enabled(self) -> bool:
        return bool(self.algorithms)

    @property
    def can_issue(self) -> bool:
        return self.secret is not None

    def issue(
        self,
        key_id: str,
        scopes: list[str],
        tier: str,
        generation: int = 0,
        models: list[str] | None = None,
    ) -> tuple[str, int]:
        now = int(time.time())
        ttl = self.settings.token_ttl
        claims: dict[str, Any] = {
            "iss": self.settings.jwt_issuer,
            "aud": self.settings.jwt_audience,
            "sub": f"key:{key_id}",
            "key_id": key_id,
            "tier": tier,
            "scope": " ".join(scopes),
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": secrets.token_hex(8),
            "gen": generation,
        }
        if models is not None:
            claims["models"] = list(models)
        if self.secret is None:
            raise TokenError("This service issues no tokens.")
        return jwt.encode(claims, self.secret, algorithm="HS256"), ttl

    def _key_for(self, header: dict[str, Any]) -> Any:
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self.algorithms:
            raise TokenError("The token's algorithm is not accepted.")
        if alg == "HS256":
            return self.secret
        kid = header.get("kid")
        if self.jwks is not None and kid is not None:
            for key in self.jwks.keys:
                if key.key_id == kid:
                    return key.key
            raise TokenError("The token's key id is unknown.")
        if self.public_key is None:
            raise TokenError("The token's key id is unknown.")
        return self.public_key

    def verify(self, token: str) -> dict[str, Any]:
        if not token or len(token) > MAX_TOKEN_BYTES or token.count(".") != 2:
            raise TokenError("The token is malformed.")
        try:
            header = jwt.get_unverified_header(token)
            key = self._key_for(header)
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[header["alg"]],
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                leeway=self.settings.jwt_leeway,
                options={"require": ["exp", "iss", "aud"]},
            )
            if float(claims["exp"]) - time.time() > MAX_TOKEN_LIFETIME + self.settings.jwt_leeway:
                raise TokenError("The token's lifetime exceeds 24 hours.")
            return claims
        except TokenError:
            raise
        except jwt.ExpiredSignatureError:
            raise TokenError("The token has expired.") from None
        except jwt.ImmatureSignatureError:
            raise TokenError("The token is not valid yet.") from None
        except (jwt.InvalidAudienceError, jwt.InvalidIssuerError):
            raise TokenError("The token was issued for another service.") from None
        except jwt.MissingRequiredClaimError as exc:
            raise TokenError(f"The token lacks the '{exc.claim}' claim.") from None
        except (jwt.PyJWTError, ValueError, TypeError, KeyError):
            raise TokenError("The token is not valid.") from None


def token_scopes(claims: dict[str, Any]) -> list[str]:
    """Scopes from `scope` (space-separated, RFC 8693) or `scopes` (a list)."""
    scope = claims.get("scope")
    if isinstance(scope, str):
        return scope.split()
    scopes = claims.get("scopes")
    if isinstance(scopes, list):
        return [s for s in scopes if isinstance(s, str)]
    return []
