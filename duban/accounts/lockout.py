from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for log-ins made through a request.

    authenticate() without a request (the test client's login(), a script) is
    not reachable from the network, so there is nothing to lock out; axes
    itself would raise instead.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
