"""How often a system may call /api/v1/: per token (a browser session counts per user), and how many invalid tokens
an address may send. Both count in the default cache, which every worker process shares (settings.CACHES)."""

from rest_framework import exceptions
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle


def client_address(request) -> str:
    """The address a request is counted under, by the API's throttles and the login lockout (AXES_CLIENT_IP_CALLABLE):
    REMOTE_ADDR, or behind DJANGO_TRUSTED_PROXIES proxies the address the outermost of them saw (DRF's NUM_PROXIES)."""
    return BaseThrottle().get_ident(request)


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token (a browser session counts per user), the rate in REST_FRAMEWORK's "token"."""

    scope = "token"

    def get_cache_key(self, request, view):
        if request.auth is not None and hasattr(request.auth, "pk"):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class InvalidTokenThrottle(SimpleRateThrottle):
    """Invalid tokens per address, the rate in REST_FRAMEWORK's "invalid_token".

    Unlike DRF's throttles this counts failures only, and it is asked before the token is looked up: an address past
    its allowance gets 429 for every token it sends, valid ones too, so guessing costs the database nothing.
    """

    scope = "invalid_token"

    def __init__(self, request):
        super().__init__()
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [moment for moment in self.cache.get(self.key, []) if moment > self.now - self.duration]

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def check(self) -> None:
        """Refuse (429, with the seconds to wait) an address that has used up its allowance."""
        if len(self.history) >= self.num_requests:
            raise exceptions.Throttled(self.wait())

    def record_failure(self) -> None:
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
