"""Rate limits in Django's cache: per client IP for anonymous reads, per token otherwise."""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from gongkai.api.models import ApiToken


class AnonApiThrottle(AnonRateThrottle):
    scope = "anon_api"

    def allow_request(self, request, view):
        if isinstance(request.auth, ApiToken):
            return True
        return super().allow_request(request, view)


class TokenThrottle(SimpleRateThrottle):
    """Each token has its own per-minute budget, set by the administrator."""

    scope = "token"

    def get_rate(self):
        return None  # set per request from the token

    def allow_request(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        self.num_requests, self.duration = token.rate_per_minute, 60
        self.key = f"throttle_token_{token.prefix}"
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()
